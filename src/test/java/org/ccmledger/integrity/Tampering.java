package org.ccmledger.integrity;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.Document;
import org.ccmledger.ledger.EventHash;
import org.ccmledger.ledger.StoredEvent;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Changes documents behind the ledger's back, as an attacker with database access would, and puts every one back
 * as it was on {@link #close()}: the HTTP tests share one store, which must stay intact for the others.
 */
final class Tampering implements AutoCloseable {

    private final MongoCollection<Document> collection;
    private final Map<Long, Document> originals = new LinkedHashMap<>();

    Tampering(MongoCollection<Document> collection) {
        this.collection = collection;
    }

    private Document remember(long id) {
        Document document = collection.find(Filters.eq("_id", id)).first();
        if (document == null) {
            throw new IllegalStateException("no document " + id + " to tamper with");
        }
        originals.putIfAbsent(id, document);
        return document;
    }

    void set(long id, String field, Object value) {
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
        StoredEvent rewritten = new StoredEvent(id, d.getString("streamKey"), d.getString("aggregateIdentifier"),
                                                d.get("sequenceNumber", Number.class).longValue(),
                                                d.getString("aggregateType"), d.getString("eventIdentifier"),
                                                d.getString("timestamp"), d.getString("payloadType"),
                                                d.getString("payloadRevision"), payload, d.getString("metaData"),
                                                d.getDate("recordedAt").toInstant(), d.getString("previousHash"),
                                                null);
        collection.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("payload", payload),
                                                                    Updates.set("hash", EventHash.of(rewritten))));
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
