package org.ccmledger.ledger;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;

/**
 * Tells Axon which failures are concurrent appends to the same aggregate: a duplicate {@code streamKey}. A
 * duplicate {@code _id} means a tracker decided the commit's slot as dead after the gap timeout: that is a
 * failed commit, not a conflict. The default resolver of {@link MongoEventStorageEngine.Builder}.
 */
final class DuplicateKeyResolver implements PersistenceExceptionResolver {

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        if (exception instanceof MongoBulkWriteException bulk) {
            return bulk.getWriteErrors().stream().anyMatch(error -> error.getCode() == LedgerCollections.DUPLICATE_KEY
                    && error.getMessage().contains(StoredEvent.STREAM_KEY));
        }
        return exception instanceof MongoException mongo && mongo.getCode() == LedgerCollections.DUPLICATE_KEY
                && String.valueOf(mongo.getMessage()).contains(StoredEvent.STREAM_KEY);
    }
}
