package org.ccmledger.integrity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

/**
 * Who runs the digest schedule when several instances share the ledger: one document, {@code leases._id =
 * "ledger-digest"}, read and written by key. An instance holds it while {@code until} is ahead; the holder renews it
 * (every third of its time to live) and a lease whose holder stopped renewing is taken by the next instance that asks.
 * The document also keeps when the schedule last ran, so a new holder keeps the old one's rhythm.
 */
final class DigestLease {

    static final String COLLECTION = "leases";
    static final String KEY = "ledger-digest";

    private final MongoCollection<Document> leases;
    private final String node;
    private final Duration timeToLive;
    private final Clock clock;

    DigestLease(MongoDatabase database, String node, Duration timeToLive, Clock clock) {
        this.leases = database.getCollection(COLLECTION);
        this.node = node;
        this.timeToLive = timeToLive;
        this.clock = clock;
    }

    Duration timeToLive() {
        return timeToLive;
    }

    String node() {
        return node;
    }

    /**
     * Takes the lease when it is free or expired, or renews it when this instance holds it.
     *
     * @return when the schedule last ran (or the lease was first made) while this instance holds the lease; empty when
     *         another instance holds it
     */
    Optional<Instant> acquire() {
        long now = clock.millis();
        if (leases.find(Filters.eq("_id", KEY)).first() == null) {
            try {
                leases.insertOne(new Document("_id", KEY).append("owner", null).append("until", 0L)
                                                         .append("lastRunAt", now));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
        }
        Document held = leases.findOneAndUpdate(
                Filters.and(Filters.eq("_id", KEY), Filters.or(Filters.eq("owner", node), Filters.lt("until", now))),
                Updates.combine(Updates.set("owner", node), Updates.set("until", now + timeToLive.toMillis())),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
        return held == null ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(held.get("lastRunAt", Number.class).longValue()));
    }

    /** Records a run of the schedule, if this instance still holds the lease. */
    void ran(Instant at) {
        leases.updateOne(Filters.and(Filters.eq("_id", KEY), Filters.eq("owner", node)),
                         Updates.set("lastRunAt", at.toEpochMilli()));
    }

    /** Gives the lease up at once (a graceful stop), so that another instance need not wait for it to expire. */
    void release() {
        leases.updateOne(Filters.and(Filters.eq("_id", KEY), Filters.eq("owner", node)),
                         Updates.combine(Updates.set("owner", null), Updates.set("until", 0L)));
    }
}
