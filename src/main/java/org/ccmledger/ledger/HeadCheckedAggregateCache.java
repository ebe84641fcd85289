package org.ccmledger.ledger;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>
 * A unit of work about to load many aggregates one after the other (an import's batch) can have them checked together
 * first ({@link #checkAhead}): the same two lookups, made by {@code $in} for all of them at once, streams that do not
 * exist yet found so together, so that creating them loads nothing, and the streams of aggregates not kept here read
 * together, so that loading them looks up nothing more.
 */
public final class HeadCheckedAggregateCache implements Cache {

    private static final Logger log = LoggerFactory.getLogger(HeadCheckedAggregateCache.class);

    /** Axon's entry keeps the aggregate's version (the sequence number of its last event) private. */
    private static final VarHandle VERSION = versionHandle();
    /** Streams checked by one pair of lookups in {@link #checkAhead} (the embedded server's $in costs grow faster). */
    private static final int AHEAD = 100;

    private final LedgerCollections collections;
    private final ReadCheck check;
    /** The store's loads, told which streams were found empty ahead. */
    private final StreamsAhead loads;
    private final Map<Object, Object> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder stale = new LongAdder();
    private final LongAdder misses = new LongAdder();
    /** On this thread, within a {@link #checkAhead} scope: the aggregates found where they were left, by version. */
    private final ThreadLocal<Map<Object, Long>> checkedAhead = new ThreadLocal<>();

    /** The scope of a {@link #checkAhead}: closing it ends it on this thread. */
    public interface CheckedAhead extends AutoCloseable {

        @Override
        void close();
    }

    HeadCheckedAggregateCache(LedgerCollections collections, ReadCheck check, int capacity, StreamsAhead loads) {
        this.collections = collections;
        this.check = check;
        this.loads = loads;
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
        Map<Object, Long> ahead = checkedAhead.get();
        boolean checked = ahead != null && version != null && version.equals(ahead.remove(key));
        if (version == null || check.metrics().integrityFailuresOutstanding()
                || !checked && !whereLeft(key.toString(), version)) {
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
        return last != null && intact(StoredEvent.fromDocument(last), head);
    }

    /** The event is the head's, stored under its own key, its hash recomputed from its content. */
    private static boolean intact(StoredEvent event, StreamHeads.Head head) {
        return event.globalIndex() == head.globalIndex() && event.hash().equals(head.hash())
               && event.expectedStreamKey().equals(event.streamKey()) && event.hashMatches();
    }

    /**
     * Checks the streams of {@code streams} all together, by {@code $in} on keys, a hundred at a time: for a kept
     * aggregate, its stream's head, then its last event; for a stream without a head, its first event and its
     * snapshot; for a stream that has a head but no aggregate kept here where it was left, what its load will read (its
     * snapshot and its events since, {@link StreamsAhead#read(Collection)}). Until the returned scope is closed, on this
     * thread, {@link #get} hands back an aggregate found where it was left without looking again, a load of a stream
     * found empty (no head, no first event, no snapshot: what a load would find) finds nothing without looking, and a
     * load of a stream read ahead uses what was read, checked as any load checks what it reads (each event's hash
     * and key, the stream reaching the head read before it); each once (a second get or load looks as usual), and none
     * while an integrity failure is reported. A kept aggregate not found where it was left is dropped and loaded as
     * always. What is appended to a stream after this check is caught as after any check: an append made from the
     * kept copy, or a first event appended to a stream taken as empty, is refused by the stream's unique sequence
     * numbers.
     */
    public CheckedAhead checkAhead(Collection<String> streams) {
        Map<String, Long> versions = new LinkedHashMap<>();
        synchronized (entries) {
            for (String stream : streams) {
                versions.put(stream, versionOf(entries.get(stream)));
            }
        }
        Map<Object, Long> found = new HashMap<>();
        Set<String> empty = new HashSet<>();
        Map<String, StreamsAhead.Read> read = new HashMap<>();
        List<String> all = new ArrayList<>(versions.keySet());
        for (int from = 0; from < all.size() && !check.metrics().integrityFailuresOutstanding(); from += AHEAD) {
            List<String> some = all.subList(from, Math.min(all.size(), from + AHEAD));
            Map<String, StreamHeads.Head> heads = StreamHeads.read(collections.streamHeads(), some);
            Map<String, StreamHeads.Head> lastKeys = new HashMap<>();
            List<String> headless = new ArrayList<>();
            List<StreamHeads.Head> toLoad = new ArrayList<>();
            for (String stream : some) {
                StreamHeads.Head head = heads.get(stream);
                Long version = versions.get(stream);
                if (head == null && version == null) {
                    headless.add(stream);
                } else if (head != null && version != null && head.sequence() == version) {
                    lastKeys.put(StoredEvent.streamKey(stream, head.sequence()), head);
                } else if (head != null) {
                    toLoad.add(head);
                }
            }
            empty.addAll(loads.empty(headless));
            read.putAll(loads.read(toLoad));
            if (lastKeys.isEmpty()) {
                continue;
            }
            for (Document last : collections.events().find(Filters.in(StoredEvent.STREAM_KEY,
                                                                       List.copyOf(lastKeys.keySet())))) {
                StoredEvent event = StoredEvent.fromDocument(last);
                StreamHeads.Head head = lastKeys.get(event.streamKey());
                if (head != null && intact(event, head)) {
                    found.put(head.stream(), head.sequence());
                }
            }
        }
        CheckedAhead keptScope = within(checkedAhead, found);
        CheckedAhead loadScope = loads.scope(empty, read);
        return () -> {
            loadScope.close();
            keptScope.close();
        };
    }

    /** Sets {@code local} to {@code value} on this thread until the scope is closed, then back to what it was. */
    static <T> CheckedAhead within(ThreadLocal<T> local, T value) {
        T outer = local.get();
        local.set(value);
        return () -> {
            if (outer == null) {
                local.remove();
            } else {
                local.set(outer);
            }
        };
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
