package org.ccmledger.platform.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;

import org.bson.Document;
import org.bson.types.Binary;
import org.ccmledger.ledger.LedgerCollections;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Remembers, per practice and {@code Idempotency-Key}, the request it was first used with (a SHA-256 of method, path
 * and body) and the response that request got, in the {@code idempotency} collection, keyed
 * {@code <practiceId>:<key>}. A request claims its key by inserting a pending record (so two concurrent requests
 * with one key cannot both run) and completes it with its response. A pending record older than the claim timeout
 * belongs to a request that died; it may be claimed again.
 */
@Component
class IdempotencyStore {

    /** What to do with a request that carries a key. */
    sealed interface Decision {
    }

    /** The key is new (or was abandoned): run the request. */
    record Proceed() implements Decision {
    }

    /** The key was used with this same request: answer with its response. */
    record Replay(int status, String contentType, String location, byte[] body) implements Decision {
    }

    /** The key was used with a different request. */
    record Mismatch() implements Decision {
    }

    /** The request that first used the key is still running. */
    record InProgress() implements Decision {
    }

    static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(60);

    private final MongoCollection<Document> records;
    private final MongoCollection<Document> claims;
    private final Clock clock = Clock.systemUTC();

    IdempotencyStore(MongoDatabase database) {
        LedgerCollections.createCollection(database, "idempotency");
        // journaled whatever the connection's write concern says: a request's events may wait for this write's commit
        // to be durable (DurableWithAnswer), and its answer goes out after it
        MongoCollection<Document> collection = database.getCollection("idempotency");
        this.records = collection.withWriteConcern(collection.getWriteConcern().withJournal(true));
        this.claims = records.withWriteConcern(records.getWriteConcern().withJournal(false));
    }

    Decision claim(String id, String requestHash) {
        Document pending = new Document("_id", id).append("requestHash", requestHash)
                                                   .append("state", "PENDING")
                                                   .append("claimedAt", Date.from(clock.instant()));
        try {
            // no fsync of its own: the claim becomes durable with the request's events or its recorded answer,
            // which are durable before the answer goes out; a claim lost in a crash had no answer (DurableH2Backend)
            claims.insertOne(pending);
            return new Proceed();
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        Document existing = records.find(Filters.eq("_id", id)).first();
        if (existing == null) {
            return claim(id, requestHash);
        }
        if (!requestHash.equals(existing.getString("requestHash"))) {
            return new Mismatch();
        }
        if ("DONE".equals(existing.getString("state"))) {
            return new Replay(existing.getInteger("status"), existing.getString("contentType"),
                              existing.getString("location"), existing.get("body", Binary.class).getData());
        }
        Date claimedAt = existing.getDate("claimedAt");
        if (claimedAt.toInstant().isBefore(clock.instant().minus(CLAIM_TIMEOUT))
                && records.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("claimedAt", claimedAt)),
                                     Updates.set("claimedAt", Date.from(clock.instant()))).getModifiedCount() == 1) {
            return new Proceed();
        }
        return new InProgress();
    }

    /**
     * Remembers the answer, durably before it goes out: the commit of this write also makes durable the events the
     * request appended without a commit of their own ({@link org.ccmledger.ledger.DurableWithAnswer}).
     */
    void complete(String id, int status, String contentType, String location, byte[] body) {
        records.updateOne(Filters.eq("_id", id),
                          Updates.combine(Updates.set("state", "DONE"), Updates.set("status", status),
                                          Updates.set("contentType", contentType),
                                          Updates.set("location", location),
                                          Updates.set("body", new Binary(body))));
    }

    /**
     * A response that must not be remembered (a server error): the key may be used again. Journaled like
     * {@link #complete}, for the same events' sake.
     */
    void release(String id) {
        records.deleteOne(Filters.and(Filters.eq("_id", id), Filters.eq("state", "PENDING")));
    }
}
