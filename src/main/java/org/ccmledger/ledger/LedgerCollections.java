package org.ccmledger.ledger;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;

import org.bson.Document;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertManyOptions;
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
 *   <li>{@code counters}: {@code _id: "globalIndex"}, {@code value} = the highest global index reserved so far;
 *   {@code _id: "ledgerDigest"}, {@code value} = a digest sequence number known to exist (a hint, see
 *   {@link LedgerDigestLog})</li>
 *   <li>{@code ledger_digests}: the signed digests that seal the ledger, {@code _id} = digest sequence number;
 *   append-only</li>
 * </ul>
 */
public final class LedgerCollections {

    static final String GLOBAL_INDEX_COUNTER = "globalIndex";
    /** The server's error code for a unique-key violation. */
    static final int DUPLICATE_KEY = 11000;
    private static final int NAMESPACE_EXISTS = 48;

    private final MongoDatabase database;
    private final MongoCollection<Document> events;
    private final MongoCollection<Document> snapshots;
    private final MongoCollection<Document> counters;
    private final MongoCollection<Document> digests;
    private final MongoCollection<Document> streamHeads;

    public LedgerCollections(MongoDatabase database) {
        this.database = database;
        this.events = database.getCollection("events");
        this.snapshots = database.getCollection("snapshots");
        this.counters = database.getCollection("counters");
        this.digests = database.getCollection(LedgerDigestLog.COLLECTION);
        this.streamHeads = database.getCollection(StreamHeads.COLLECTION);
    }

    /**
     * Creates the collections and the unique indexes on {@code events.streamKey} and {@code events.eventIdentifier}
     * (sparse: tombstones have none); idempotent. Creating collections up front matters on the embedded server, where
     * two writers that implicitly create the same collection at the same moment can lose one's documents.
     */
    public void ensureIndexes() {
        for (String name : List.of("events", "snapshots", "counters", LedgerDigestLog.COLLECTION,
                                   StreamHeads.COLLECTION, SealedRecord.LEAVES, SealedRecord.HEADS)) {
            createCollection(database, name);
        }
        events.createIndex(Indexes.ascending(StoredEvent.STREAM_KEY), new IndexOptions().unique(true));
        events.createIndex(Indexes.ascending(StoredEvent.EVENT_IDENTIFIER),
                           new IndexOptions().unique(true).sparse(true));
    }

    MongoDatabase database() {
        return database;
    }

    MongoCollection<Document> collection(String name) {
        return database.getCollection(name);
    }

    /** Each stream's head: its last event's sequence number, hash and global index; see {@link StreamHeads}. */
    public MongoCollection<Document> streamHeads() {
        return streamHeads;
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

    /** Aggregate snapshots by aggregate id: an optimisation, never evidence (tests inspect them). */
    public MongoCollection<Document> snapshots() {
        return snapshots;
    }

    MongoCollection<Document> counters() {
        return counters;
    }

    /** The signed digests, {@code _id} = sequence number; see {@link LedgerDigestLog}. */
    public MongoCollection<Document> digests() {
        return digests;
    }

    /** The documents (events and tombstones) held by global indexes {@code from} to {@code to}, by index. */
    NavigableMap<Long, Document> slots(long from, long to) {
        return byKeys(events, from, to);
    }

    /** The documents of a collection keyed by numbers whose {@code _id} is {@code from} to {@code to}, by key. */
    static NavigableMap<Long, Document> byKeys(MongoCollection<Document> collection, long from, long to) {
        NavigableMap<Long, Document> found = new TreeMap<>();
        collection.find(Filters.in("_id", LongStream.rangeClosed(from, to).boxed().toList()))
                  .forEach(d -> found.put(d.get("_id", Number.class).longValue(), d));
        return found;
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

    /**
     * Inserts a tombstone into each of the given global indexes (one unordered {@code insertMany}) and returns the
     * indexes that were already taken, by an event or an earlier tombstone: the unique {@code _id} decides which
     * document owns an index. Any failure other than a duplicate key is thrown.
     */
    Set<Long> tombstone(List<Long> indexes, Instant recordedAt, String reason) {
        List<Document> tombstones = indexes.stream().map(i -> StoredEvent.tombstone(i, recordedAt, reason)).toList();
        try {
            events.insertMany(tombstones, new InsertManyOptions().ordered(false));
            return Set.of();
        } catch (MongoBulkWriteException e) {
            Set<Long> taken = new HashSet<>();
            for (var error : e.getWriteErrors()) {
                if (error.getCode() != DUPLICATE_KEY) {
                    throw e;
                }
                taken.add(indexes.get(error.getIndex()));
            }
            return taken;
        }
    }

    /** Which of {@code indexes} hold a document, an event or a tombstone (one {@code $in} on the key). */
    public Set<Long> occupied(Collection<Long> indexes) {
        Set<Long> occupied = new HashSet<>();
        if (!indexes.isEmpty()) {
            events.find(Filters.in("_id", List.copyOf(indexes))).projection(new Document("_id", 1))
                  .forEach(document -> occupied.add(((Number) document.get("_id")).longValue()));
        }
        return occupied;
    }

    /** The highest global index reserved so far, 0 when nothing was ever appended. */
    public long highestReserved() {
        Document counter = counters.find(Filters.eq("_id", GLOBAL_INDEX_COUNTER)).first();
        return counter == null ? 0 : counter.get("value", Number.class).longValue();
    }
}
