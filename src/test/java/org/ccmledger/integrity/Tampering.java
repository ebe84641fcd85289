package org.ccmledger.integrity;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.Document;
import org.ccmledger.ledger.EventHash;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Changes documents behind the ledger's back, as an attacker with database access would, and puts every one back
 * as it was on {@link #close()}: the HTTP tests share one store, which must stay intact for the others.
 */
final class Tampering implements AutoCloseable {

    private final MongoCollection<Document> collection;
    private final Map<Object, Document> originals = new LinkedHashMap<>();

    Tampering(MongoCollection<Document> collection) {
        this.collection = collection;
    }

    private Document remember(Object id) {
        Document document = collection.find(Filters.eq("_id", id)).first();
        if (document == null) {
            throw new IllegalStateException("no document " + id + " to tamper with");
        }
        originals.putIfAbsent(id, document);
        return document;
    }

    void set(Object id, String field, Object value) {
        remember(id);
        collection.updateOne(Filters.eq("_id", id), Updates.set(field, value));
    }

    void delete(long id) {
        remember(id);
        collection.deleteOne(Filters.eq("_id", id));
    }

    /** Moves each of two events to the other's global index. */
    void swap(long first, long second) {
        Document a = remember(first);
        Document b = remember(second);
        collection.deleteMany(Filters.in("_id", first, second));
        collection.insertOne(new Document(a).append("_id", second));
        collection.insertOne(new Document(b).append("_id", first));
    }

    /** Changes an event's payload and stores the hash of the changed event: a rewrite that covers its tracks. */
    void rewriteAndRehash(long id, String payload) {
        Document d = remember(id);
        Document rewritten = new Document(d).append("payload", payload);
        collection.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("payload", payload),
                                                                    Updates.set("hash", EventHash.rehash(rewritten))));
    }

    /**
     * Changes an event's payload, re-hashes it and re-chains every later event of its stream onto it: a rewrite that
     * leaves every hash and chain consistent. Returns the new hash of the stream's last event.
     */
    String rewriteAndRechain(long id, String payload) {
        Document d = remember(id);
        String stream = d.getString("aggregateIdentifier");
        Document rewritten = new Document(d).append("payload", payload);
        String hash = EventHash.rehash(rewritten);
        collection.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("payload", payload),
                                                                    Updates.set("hash", hash)));
        for (long sequence = d.get("sequenceNumber", Number.class).longValue() + 1; ; sequence++) {
            Document next = collection.find(Filters.eq("streamKey", "a:" + stream + "#" + sequence)).first();
            if (next == null) {
                return hash;
            }
            remember(next.get("_id"));
            Document rechained = new Document(next).append("previousHash", hash);
            hash = EventHash.rehash(rechained);
            collection.updateOne(Filters.eq("_id", next.get("_id")),
                                 Updates.combine(Updates.set("previousHash", rechained.getString("previousHash")),
                                                 Updates.set("hash", hash)));
        }
    }

    /**
     * Stores the document again with one field's value replaced, e.g. the same number as a 32-bit integer (an update
     * would not do: the embedded server keeps a field's numeric type on {@code $set}).
     */
    void restore(long id, String field, Object value) {
        Document d = remember(id);
        collection.deleteOne(Filters.eq("_id", id));
        collection.insertOne(new Document(d).append(field, value));
    }

    @Override
    public void close() {
        if (originals.isEmpty()) {
            return;
        }
        collection.deleteMany(Filters.in("_id", originals.keySet()));
        collection.insertMany(originals.values().stream().toList());
        originals.clear();
    }
}
