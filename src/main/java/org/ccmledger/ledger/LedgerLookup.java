package org.ccmledger.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;

import com.mongodb.client.model.Filters;

/**
 * Looks up stored events by their stream key ({@code a:<aggregate>#<sequence>}) or global index, by unique-index
 * {@code $in} lookups, so a statement can record, and later re-check, the hash the ledger holds for each event it
 * counted, and billing, audit and exports can read a patient's streams straight from the ledger. Every event returned
 * is verified first ({@link ReadCheck}): a forged or damaged one is a {@link LedgerIntegrityException}, never data.
 */
public final class LedgerLookup {

    /**
     * Keys per {@code $in} lookup. The embedded server checks each document found against every value of the
     * {@code $in} again, one by one, so a lookup's cost grows with the square of its keys: a hundred keeps that check
     * below the cost of the round trip it saves (at 10,000 patients a quarter of the server's time went to it with
     * 500).
     */
    private static final int CHUNK = 100;

    private final LedgerCollections collections;
    private final ReadCheck check;

    /** A lookup that reports integrity failures nowhere but in what it throws. */
    public LedgerLookup(LedgerCollections collections) {
        this(collections, LedgerMetrics.NONE);
    }

    /** A lookup that reports integrity failures to {@code metrics} before it throws them. */
    public LedgerLookup(LedgerCollections collections, LedgerMetrics metrics) {
        this(collections, new ReadCheck(new ChainHashes(collections), metrics, true));
    }

    private LedgerLookup(LedgerCollections collections, ReadCheck check) {
        this.collections = collections;
        this.check = check;
    }

    /**
     * The same lookups handing events on as they are read, unchecked: only for verification, which compares what it
     * reads with what was recorded and reports every difference instead of refusing the first.
     */
    public LedgerLookup asFound() {
        return new LedgerLookup(collections, new ReadCheck(new ChainHashes(collections), LedgerMetrics.NONE, false));
    }

    /**
     * An aggregate's events in sequence order, read by key in windows of 16, 32, 64 … sequence numbers (sequence
     * numbers are contiguous, so the first missing key ends the stream). With {@code recordedUpTo}, only the events the
     * ledger had recorded by then: a prefix of the stream, since an aggregate's events are recorded in order. Without,
     * the whole stream, which must reach the head it had before the read ({@link ReadCheck#reachesHead}).
     */
    public List<StoredEvent> stream(String aggregateIdentifier, java.time.Instant recordedUpTo) {
        StreamHeads.Head head = recordedUpTo == null ? StreamHeads.read(collections.streamHeads(), aggregateIdentifier)
                : null;
        List<StoredEvent> events = new ArrayList<>();
        Map<String, String> verified = new HashMap<>();
        int window = 16;
        long next = 0;
        while (true) {
            List<String> keys = new ArrayList<>(window);
            for (long seq = next; seq < next + window; seq++) {
                keys.add(StoredEvent.streamKey(aggregateIdentifier, seq));
            }
            Map<String, StoredEvent> found = read(keys);
            for (long seq = next; seq < next + window; seq++) {
                StoredEvent event = found.get(StoredEvent.streamKey(aggregateIdentifier, seq));
                if (event == null || (recordedUpTo != null && event.recordedAt().isAfter(recordedUpTo))) {
                    check.reachesHead(head, 0, events);
                    return events;
                }
                check.one(event, verified);
                events.add(event);
            }
            next += window;
            window = Math.min(window * 2, CHUNK);
        }
    }

    /**
     * The whole streams of many aggregates, as {@link #stream(String, java.time.Instant) stream(id, null)} reads each
     * one, with a few {@code $in} lookups for all of them instead of some for each: their heads, then every key up to
     * each head and one past it. A stream found longer than its head (appended to during the read), or without a head
     * but with a first event (written before heads were kept), is read on its own. Every event is verified and every
     * stream must reach its head. Aggregates without events map to an empty list.
     */
    public Map<String, List<StoredEvent>> streams(Collection<String> aggregateIdentifiers) {
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(aggregateIdentifiers));
        Map<String, StreamHeads.Head> heads = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            heads.putAll(StreamHeads.read(collections.streamHeads(), ids.subList(from, Math.min(ids.size(),
                                                                                                  from + CHUNK))));
        }
        List<String> keys = new ArrayList<>();
        for (String id : ids) {
            StreamHeads.Head head = heads.get(id);
            long through = head == null ? 0 : head.sequence() + 1;
            for (long seq = 0; seq <= through; seq++) {
                keys.add(StoredEvent.streamKey(id, seq));
            }
        }
        Map<String, StoredEvent> found = read(keys);
        Map<String, List<StoredEvent>> streams = new java.util.LinkedHashMap<>();
        Map<String, String> verified = new HashMap<>();
        for (String id : ids) {
            StreamHeads.Head head = heads.get(id);
            if (head == null ? found.containsKey(StoredEvent.streamKey(id, 0))
                    : found.containsKey(StoredEvent.streamKey(id, head.sequence() + 1))) {
                streams.put(id, stream(id, null));
                continue;
            }
            List<StoredEvent> events = new ArrayList<>();
            for (long seq = 0; head != null && seq <= head.sequence(); seq++) {
                StoredEvent event = found.get(StoredEvent.streamKey(id, seq));
                if (event == null) {
                    break;
                }
                check.one(event, verified);
                events.add(event);
            }
            check.reachesHead(head, 0, events);
            streams.put(id, events);
        }
        return streams;
    }

    /**
     * The highest global index at or below {@code head} that holds an event (not a tombstone, not an empty slot
     * still in flight), looking back at most 1,024 slots; -1 when there is none there.
     */
    public long highestEventAtOrBelow(long head) {
        for (long to = head; to > 0 && to > head - 1024; to -= 64) {
            long highest = -1;
            for (Document slot : collections.slots(Math.max(1, to - 63), to).values()) {
                if (!StoredEvent.isTombstone(slot)) {
                    highest = Math.max(highest, ((Number) slot.get(StoredEvent.ID)).longValue());
                }
            }
            if (highest > 0) {
                return highest;
            }
        }
        return -1;
    }

    /**
     * The events at the given global indexes that hold one (tombstones and empty slots are left out), each verified.
     */
    public Map<Long, StoredEvent> atIndexes(Collection<Long> indexes) {
        Map<Long, StoredEvent> found = new TreeMap<>();
        List<Long> all = new ArrayList<>(indexes);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            for (Document d : collections.events().find(Filters.in(StoredEvent.ID, chunk))) {
                if (!StoredEvent.isTombstone(d)) {
                    StoredEvent event = StoredEvent.fromDocument(d);
                    found.put(event.globalIndex(), event);
                }
            }
        }
        check.all(found.values());
        return found;
    }

    /** The stored events of the given (aggregate, sequence) pairs that exist, keyed by stream key, each verified. */
    public Map<String, StoredEvent> find(Collection<String> streamKeys) {
        Map<String, StoredEvent> found = read(streamKeys);
        check.all(found.values().stream().sorted(java.util.Comparator.comparingLong(StoredEvent::globalIndex))
                       .toList());
        return found;
    }

    /** The stored events of the given stream keys, as read, not yet verified. */
    private Map<String, StoredEvent> read(Collection<String> streamKeys) {
        Map<String, StoredEvent> found = new HashMap<>();
        List<String> keys = new ArrayList<>(streamKeys);
        for (int from = 0; from < keys.size(); from += CHUNK) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
            for (Document d : collections.events().find(Filters.in(StoredEvent.STREAM_KEY, chunk))) {
                StoredEvent event = StoredEvent.fromDocument(d);
                found.put(event.streamKey(), event);
            }
        }
        return found;
    }
}
