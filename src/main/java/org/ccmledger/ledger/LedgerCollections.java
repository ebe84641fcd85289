package org.ccmledger.ledger;

import org.bson.Document;

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
 *   <li>{@code events}: one document per event, {@code _id} = global index, unique {@code streamKey}</li>
 *   <li>{@code snapshots}: the latest snapshot per aggregate, {@code _id} = aggregate id</li>
 *   <li>{@code counters}: {@code _id: "globalIndex"}, {@code value} = the highest global index reserved so far</li>
 *   <li>{@code deadGaps}: {@code _id} = a global index that was reserved by a commit that failed and never holds an
 *   event</li>
 * </ul>
 */
public final class LedgerCollections {

    static final String GLOBAL_INDEX_COUNTER = "globalIndex";

    private final MongoCollection<Document> events;
    private final MongoCollection<Document> snapshots;
    private final MongoCollection<Document> counters;
    private final MongoCollection<Document> deadGaps;

    public LedgerCollections(MongoDatabase database) {
        this.events = database.getCollection("events");
        this.snapshots = database.getCollection("snapshots");
        this.counters = database.getCollection("counters");
        this.deadGaps = database.getCollection("deadGaps");
    }

    /** Creates the unique index on {@code events.streamKey}; idempotent. */
    public void ensureIndexes() {
        events.createIndex(Indexes.ascending(StoredEvent.STREAM_KEY), new IndexOptions().unique(true));
    }

    public MongoCollection<Document> events() {
        return events;
    }

    MongoCollection<Document> snapshots() {
        return snapshots;
    }

    MongoCollection<Document> deadGaps() {
        return deadGaps;
    }

    /**
     * Reserves {@code count} consecutive global indexes with one atomic {@code $inc} and returns the last of them.
     */
    long reserve(int count) {
        Document counter = counters.findOneAndUpdate(
                Filters.eq("_id", GLOBAL_INDEX_COUNTER), Updates.inc("value", (long) count),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return counter.get("value", Number.class).longValue();
    }

    /** The highest global index reserved so far, 0 when nothing was ever appended. */
    public long highestReserved() {
        Document counter = counters.find(Filters.eq("_id", GLOBAL_INDEX_COUNTER)).first();
        return counter == null ? 0 : counter.get("value", Number.class).longValue();
    }
}
