package org.ccmledger.ledger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.Document;

import com.mongodb.client.model.Filters;

/**
 * The hashes of stored events that have passed verification, by stream key: what sealing needs for an aggregate's
 * {@code previousHash}, what a snapshot is checked against, and what verify-on-read checks each event's link to its
 * predecessor against. A verified hash is a fact of the ledger as it was written, so a bounded cache of them is never
 * stale, and it outlives a later rewrite of the database: the cached value is the genuine one.
 * A miss is one lookup by the unique {@code streamKey}, and the event found is itself verified ({@link ReadCheck})
 * before its hash is used. One per engine or lookup instance: another instance's appends are found by key.
 */
final class ChainHashes {

    private static final int CACHE_SIZE = 100_000;

    private final LedgerCollections collections;
    /**
     * Lock-free reads: every event read is checked against it. Bounded by starting afresh when full (a miss costs one
     * key lookup, and a stream's hashes come back as it is read), which keeps the reads free of an LRU's reordering.
     */
    private final Map<String, String> cache = new ConcurrentHashMap<>(1024);

    ChainHashes(LedgerCollections collections) {
        this.collections = collections;
    }

    /** Remembers the hash of an event that was just written or has just passed verification. */
    void remember(String streamKey, String hash) {
        if (cache.size() >= CACHE_SIZE) {
            cache.clear();
        }
        cache.put(streamKey, hash);
    }

    /** The verified hash under a stream key, if it is cached. */
    String cached(String streamKey) {
        return cache.get(streamKey);
    }

    /**
     * The stored hash of an aggregate's event, verified: from the cache, or read by key and checked by {@code check}
     * (its own hash and key; its link is the business of whoever reads it in order); {@code null} when there is no
     * such event.
     */
    String hashOf(String aggregateIdentifier, long sequenceNumber, ReadCheck check) {
        String key = StoredEvent.streamKey(aggregateIdentifier, sequenceNumber);
        String cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Document document = collections.events().find(Filters.eq(StoredEvent.STREAM_KEY, key)).first();
        if (document == null) {
            return null;
        }
        StoredEvent event = StoredEvent.fromDocument(document);
        check.content(event);
        remember(key, event.hash());
        return event.hash();
    }
}
