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
