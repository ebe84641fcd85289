package org.ccmledger.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import com.mongodb.client.model.Filters;

/**
 * Looks up stored events by their stream key ({@code a:<aggregate>#<sequence>}), a unique-index {@code $in} lookup,
 * so a statement can record, and later re-check, the hash the ledger holds for each event it counted.
 */
public final class LedgerLookup {

    private static final int CHUNK = 500;

    private final LedgerCollections collections;

    public LedgerLookup(LedgerCollections collections) {
        this.collections = collections;
    }

    /**
     * An aggregate's events in sequence order, read by key in windows of 16, 32, 64 … sequence numbers (sequence
     * numbers are contiguous, so the first missing key ends the stream). With {@code recordedUpTo}, only the events the
     * ledger had recorded by then: a prefix of the stream, since an aggregate's events are recorded in order.
     */
    public List<StoredEvent> stream(String aggregateIdentifier, java.time.Instant recordedUpTo) {
        List<StoredEvent> events = new ArrayList<>();
        int window = 16;
        long next = 0;
        while (true) {
            List<String> keys = new ArrayList<>(window);
            for (long seq = next; seq < next + window; seq++) {
                keys.add(StoredEvent.streamKey(aggregateIdentifier, seq));
            }
            Map<String, StoredEvent> found = find(keys);
            for (long seq = next; seq < next + window; seq++) {
                StoredEvent event = found.get(StoredEvent.streamKey(aggregateIdentifier, seq));
                if (event == null || (recordedUpTo != null && event.recordedAt().isAfter(recordedUpTo))) {
                    return events;
                }
                events.add(event);
            }
            next += window;
            window = Math.min(window * 2, CHUNK);
        }
    }

    /**
     * The highest global index at or below {@code head} that holds an event (not a tombstone, not an empty slot
     * still in flight), looking back at most 1,024 slots; -1 when there is none there.
     */
    public long highestEventAtOrBelow(long head) {
        for (long to = head; to > 0 && to > head - 1024; to -= 64) {
            List<Long> window = new ArrayList<>();
            for (long i = to; i > Math.max(0, to - 64); i--) {
                window.add(i);
            }
            Map<Long, StoredEvent> events = atIndexes(window);
            if (!events.isEmpty()) {
                return events.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            }
        }
        return -1;
    }

    /** The events at the given global indexes that hold one (tombstones and empty slots are left out). */
    public Map<Long, StoredEvent> atIndexes(Collection<Long> indexes) {
        Map<Long, StoredEvent> found = new HashMap<>();
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
        return found;
    }

    /** The stored events of the given (aggregate, sequence) pairs that exist, keyed by stream key. */
    public Map<String, StoredEvent> find(Collection<String> streamKeys) {
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
