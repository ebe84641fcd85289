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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates kept in memory between commands on this node (Axon's caching repository keeps them here), each handed
 * back only while its stream's head in {@code stream_heads} is still the event it was left at: one key lookup instead
 * of loading the aggregate (its snapshot, the event its snapshot follows, its head and its events, each verified, then
 * replayed). An aggregate another node (or anything else) appended to since is dropped and loaded afresh, verified
 * like any load; an append made from a stale copy in between is refused by the stream's unique sequence numbers, as
 * it would be without the cache. At most {@code capacity} aggregates, the least recently used dropped first. Keys are
 * aggregate identifiers: use one cache per aggregate type.
 */
public final class HeadCheckedAggregateCache implements Cache {

    private static final Logger log = LoggerFactory.getLogger(HeadCheckedAggregateCache.class);

    /** Axon's entry keeps the aggregate's version (the sequence number of its last event) private. */
    private static final VarHandle VERSION = versionHandle();

    private final LedgerCollections collections;
    private final Map<Object, Object> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder stale = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public HeadCheckedAggregateCache(LedgerCollections collections, int capacity) {
        this.collections = collections;
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
        StreamHeads.Head head = version == null ? null : StreamHeads.read(collections.streamHeads(), key.toString());
        if (head == null || head.sequence() != version) {
            synchronized (entries) {
                entries.remove(key, entry);
            }
            stale.increment();
            return null;
        }
        hits.increment();
        return (V) entry;
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

    /** Aggregates dropped because their stream moved on (or their version could not be told). */
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
