package org.ccmledger.ledger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.Document;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;

/**
 * The stored hashes of events, by stream key: what sealing needs for an aggregate's {@code previousHash} and what a
 * snapshot is checked against. A stored hash is an immutable fact, so a bounded (least recently used) cache of them
 * is never stale; a miss is one lookup by the unique {@code streamKey}. One per engine instance: another instance's
 * appends are found by key, never through this cache.
 */
final class ChainHashes {

    private static final int CACHE_SIZE = 10_000;

    private final LedgerCollections collections;
    private final Map<String, String> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    ChainHashes(LedgerCollections collections) {
        this.collections = collections;
    }

    /** Remembers the hash stored (or just inserted) under a stream key. */
    void remember(String streamKey, String hash) {
        cache.put(streamKey, hash);
    }

    /** The stored hash of an aggregate's event, from the cache of these immutable facts or by key; null if none. */
    String hashOf(String aggregateIdentifier, long sequenceNumber) {
        String key = StoredEvent.streamKey(aggregateIdentifier, sequenceNumber);
        String cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Document event = collections.events().find(Filters.eq(StoredEvent.STREAM_KEY, key))
                                    .projection(Projections.include(StoredEvent.HASH)).first();
        return event == null ? null : event.getString(StoredEvent.HASH);
    }
}
