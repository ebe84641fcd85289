package org.ccmledger.ledger;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.model.Filters;

/**
 * Aggregates kept in memory between commands on this node (Axon's caching repository keeps them here), each handed
 * back only while its stream is where it was left: the stream's head in {@code stream_heads} is still the aggregate's
 * last event, and that event is in the store under its key, intact (its hash recomputed from its stored content)
 * and the one the head names. Two key lookups instead of loading the aggregate (its snapshot, the event its snapshot
 * follows, its head and its events, each verified, then replayed). An aggregate another node (or anything else)
 * appended to since is dropped and loaded afresh, verified like any load; so is one whose last event was deleted or
 * altered, and that load refuses it like any other. While the store reports an integrity failure outstanding, nothing
 * is handed back: every command loads, and a command that needs a forged event is refused. An append made from a
 * stale copy after the check is refused by the stream's unique sequence numbers, as it would be without the cache. At
 * most {@code capacity} aggregates, the least recently used dropped first. Keys are aggregate identifiers: use one
 * cache per aggregate type. Made by the engine ({@link MongoEventStorageEngine#aggregateCache}).
 */
public final class HeadCheckedAggregateCache implements Cache {

    private static final Logger log = LoggerFactory.getLogger(HeadCheckedAggregateCache.class);

    /** Axon's entry keeps the aggregate's version (the sequence number of its last event) private. */
    private static final VarHandle VERSION = versionHandle();

    private final LedgerCollections collections;
    private final ReadCheck check;
    private final Map<Object, Object> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder stale = new LongAdder();
    private final LongAdder misses = new LongAdder();

    HeadCheckedAggregateCache(LedgerCollections collections, ReadCheck check, int capacity) {
        this.collections = collections;
        this.check = check;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                return size() > capacity;
            }
        };
    }

    private static VarHandle versionHandle() {
        try {
            return MethodHandles.privateLookupIn(AggregateCacheEntry.class, MethodHandles.lookup())
                                .findVarHandle(AggregateCacheEntry.class, "version", Long.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Aggregates are not kept between commands: this Axon version's cache entry has no version "
                     + "field ({})", e.getClass().getSimpleName());
            return null;
        }
    }

    /** The sequence number of the cached aggregate's last event; {@code null} when it cannot be told. */
    static Long versionOf(Object entry) {
        if (VERSION == null || !(entry instanceof AggregateCacheEntry<?>)) {
            return null;
        }
        return (Long) VERSION.get(entry);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        Object entry;
        synchronized (entries) {
            entry = entries.get(key);
        }
        if (entry == null) {
            misses.increment();
            return null;
        }
        Long version = versionOf(entry);
        if (version == null || check.metrics().integrityFailuresOutstanding() || !whereLeft(key.toString(), version)) {
            synchronized (entries) {
                entries.remove(key, entry);
            }
            stale.increment();
            return null;
        }
        hits.increment();
        return (V) entry;
    }

    /**
     * Whether the stream's head is the event at {@code version} and that event is stored intact under its key. An
     * event that does not verify is not reported here: the load that follows reads it and refuses it.
     */
    private boolean whereLeft(String stream, long version) {
        StreamHeads.Head head = StreamHeads.read(collections.streamHeads(), stream);
        if (head == null || head.sequence() != version) {
            return false;
        }
        Document last = collections.events().find(Filters.eq(StoredEvent.STREAM_KEY,
                                                              StoredEvent.streamKey(stream, version))).first();
        if (last == null) {
            return false;
        }
        StoredEvent event = StoredEvent.fromDocument(last);
        return event.globalIndex() == head.globalIndex() && event.hash().equals(head.hash())
               && event.expectedStreamKey().equals(event.streamKey()) && event.hashMatches();
    }

    @Override
    public void put(Object key, Object value) {
        synchronized (entries) {
            entries.put(key, value);
        }
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        synchronized (entries) {
            return entries.putIfAbsent(key, value) == null;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        synchronized (entries) {
            return (T) entries.computeIfAbsent(key, k -> valueSupplier.get());
        }
    }

    @Override
    public boolean remove(Object key) {
        synchronized (entries) {
            return entries.remove(key) != null;
        }
    }

    @Override
    public void removeAll() {
        synchronized (entries) {
            entries.clear();
        }
    }

    @Override
    public boolean containsKey(Object key) {
        synchronized (entries) {
            return entries.containsKey(key);
        }
    }

    /** No listeners: nothing of ours listens, and Axon's repositories do not register any. */
    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        return () -> true;
    }

    /** Aggregates handed back (their head unmoved). */
    public long hits() {
        return hits.sum();
    }

    /**
     * Aggregates dropped because their stream moved on, their last event is not there intact, an integrity failure is
     * outstanding, or their version could not be told.
     */
    public long stale() {
        return stale.sum();
    }

    /** Loads of aggregates not kept here. */
    public long misses() {
        return misses.sum();
    }

    /** Aggregates kept now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
