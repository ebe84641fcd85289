package org.ccmledger.ledger;

import java.util.List;

import org.bson.Document;

import com.mongodb.MongoCommandException;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

/**
 * The collections of the ledger and their keys. Every read and write of the store is a lookup by a unique key
 * ({@code _id} or {@code streamKey}), exact or {@code $in}, which is the only kind of query the embedded server
 * answers from an index and the fastest kind on a real MongoDB.
 * <ul>
 *   <li>{@code events}: one document per reserved global index ({@code _id}): the event, or a tombstone where the
 *   commit failed; unique {@code streamKey}</li>
 *   <li>{@code snapshots}: the latest snapshot per aggregate, {@code _id} = aggregate id</li>
 *   <li>{@code counters}: {@code _id: "globalIndex"}, {@code value} = the highest global index reserved so far</li>
 * </ul>
 */
public final class LedgerCollections {

    static final String GLOBAL_INDEX_COUNTER = "globalIndex";
    private static final int NAMESPACE_EXISTS = 48;

    private final MongoDatabase database;
    private final MongoCollection<Document> events;
    private final MongoCollection<Document> snapshots;
    private final MongoCollection<Document> counters;

    public LedgerCollections(MongoDatabase database) {
        this.database = database;
        this.events = database.getCollection("events");
        this.snapshots = database.getCollection("snapshots");
        this.counters = database.getCollection("counters");
    }

    /**
     * Creates the collections and the unique index on {@code events.streamKey}; idempotent. Creating collections up
     * front matters on the embedded server, where two writers that implicitly create the same collection at the
     * same moment can lose one's documents.
     */
    public void ensureIndexes() {
        for (String name : List.of("events", "snapshots", "counters")) {
            createCollection(database, name);
        }
        events.createIndex(Indexes.ascending(StoredEvent.STREAM_KEY), new IndexOptions().unique(true));
    }

    /** Creates a collection unless it exists. */
    public static void createCollection(MongoDatabase database, String name) {
        if (database.listCollectionNames().into(new java.util.ArrayList<>()).contains(name)) {
            return;
        }
        try {
            database.createCollection(name);
        } catch (MongoCommandException e) {
            if (e.getErrorCode() != NAMESPACE_EXISTS) {
                throw e;
            }
        }
    }

    public MongoCollection<Document> events() {
        return events;
    }

    MongoCollection<Document> snapshots() {
        return snapshots;
    }

    /**
     * Reserves {@code count} consecutive global indexes with one atomic {@code $inc} and returns the last of them.
     * <p>
     * The counter is read as it was <em>before</em> the increment: mongo-java-server's memory backend answers
     * {@code findAndModify} with the live document after releasing its lock, so a concurrent increment can show
     * through an "after" image and two commits would get the same block (seen in {@code ReservationTest}).
     */
    long reserve(int count) {
        Document before = counters.findOneAndUpdate(
                Filters.eq("_id", GLOBAL_INDEX_COUNTER), Updates.inc("value", (long) count),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE));
        long previous = before == null ? 0 : before.get("value", Number.class).longValue();
        return previous + count;
    }

    /** The highest global index reserved so far, 0 when nothing was ever appended. */
    public long highestReserved() {
        Document counter = counters.find(Filters.eq("_id", GLOBAL_INDEX_COUNTER)).first();
        return counter == null ? 0 : counter.get("value", Number.class).longValue();
    }
}
