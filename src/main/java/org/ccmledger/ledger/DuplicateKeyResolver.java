package org.ccmledger.ledger;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;

/**
 * Tells Axon which failures are duplicate keys in Axon's sense: a duplicate {@code streamKey} (another commit to the
 * same aggregate won) or a duplicate {@code eventIdentifier} (an event appended again, Axon requires event ids to be
 * unique). Axon turns them into a {@code ConcurrencyException}, or an {@code AggregateStreamCreationException} for an
 * aggregate's first event. A duplicate {@code _id} means a tracker decided the commit's slot as dead after the gap
 * timeout: that is a failed commit, not a conflict. The default resolver of {@link MongoEventStorageEngineBuilder}.
 */
final class DuplicateKeyResolver implements PersistenceExceptionResolver {

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        if (exception instanceof MongoBulkWriteException bulk) {
            return bulk.getWriteErrors().stream().anyMatch(error -> error.getCode() == LedgerCollections.DUPLICATE_KEY
                    && onAxonKey(error.getMessage()));
        }
        return exception instanceof MongoException mongo && mongo.getCode() == LedgerCollections.DUPLICATE_KEY
                && onAxonKey(String.valueOf(mongo.getMessage()));
    }

    private static boolean onAxonKey(String message) {
        return message.contains(StoredEvent.STREAM_KEY) || message.contains(StoredEvent.EVENT_IDENTIFIER);
    }
}
