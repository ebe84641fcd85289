package org.ccmledger.ledger;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.bson.Document;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;

/**
 * What an import batch finds of its streams before it loads them one after the other
 * ({@link HeadCheckedAggregateCache#checkAhead}), and what a load on the same thread then takes from that instead of
 * looking itself ({@link AggregateEvents}): streams that hold nothing, and streams read ahead (snapshot and events),
 * each once, and nothing while an integrity failure is outstanding.
 */
final class StreamsAhead {

    /** A stream with more events than this after its snapshot is not read ahead: its load reads it as usual. */
    private static final int MOST_EVENTS_AHEAD = 128;
    /** Keys of one {@code $in} when reading ahead (the embedded server matches each found document against them all). */
    private static final int KEYS_PER_LOOKUP = 100;

    private final LedgerCollections collections;
    private final ReadCheck check;
    /** On this thread, within a {@link HeadCheckedAggregateCache#checkAhead} scope: streams found to hold nothing. */
    private final ThreadLocal<Set<String>> emptyAhead = new ThreadLocal<>();
    /** On this thread, within a {@link HeadCheckedAggregateCache#checkAhead} scope: streams read ahead, by stream. */
    private final ThreadLocal<Map<String, Read>> readAhead = new ThreadLocal<>();

    /**
     * A stream read ahead of its load: its head as read first, its snapshot document ({@code null} when it has none),
     * and the events stored under its keys from the one after the snapshot through the head, by sequence number
     * ({@code null} when there were too many to read ahead). Checked only when the load uses them, as a load checks
     * what it reads.
     */
    record Read(StreamHeads.Head head, Document snapshot, long from, Map<Long, StoredEvent> events) {
    }

    StreamsAhead(LedgerCollections collections, ReadCheck check) {
        this.collections = collections;
        this.check = check;
    }

    /**
     * Of streams that have no head, those that hold nothing at all: no first event and no snapshot, looked up by
     * {@code $in} on their keys. What a load of such a stream would find, found for all of them in two lookups.
     */
    Set<String> empty(Collection<String> headless) {
        Set<String> empty = new HashSet<>(headless);
        if (empty.isEmpty()) {
            return empty;
        }
        Map<String, String> byFirstKey = new HashMap<>();
        headless.forEach(stream -> byFirstKey.put(StoredEvent.streamKey(stream, 0), stream));
        // by the key it is stored under, whatever it says inside: a load would read it, and judge it
        for (Document first : collections.events().find(Filters.in(StoredEvent.STREAM_KEY,
                                                                   List.copyOf(byFirstKey.keySet())))
                                         .projection(Projections.include(StoredEvent.STREAM_KEY))) {
            empty.remove(byFirstKey.get(first.getString(StoredEvent.STREAM_KEY)));
        }
        for (Document snapshot : collections.snapshots().find(Filters.in("_id", List.copyOf(headless)))
                                            .projection(Projections.include("_id"))) {
            empty.remove(snapshot.getString("_id"));
        }
        return empty;
    }

    /**
     * Of streams that have a head, what their loads will read, read for all of them together: their snapshots by one
     * {@code $in} on their ids, then the events after each snapshot through the head by {@code $in} on their exact
     * keys, a hundred keys at a time. Where loading one stream after another costs three lookups and a window of 16
     * keys each, this costs two or three lookups for a hundred streams of a few events. A stream with more than
     * {@value #MOST_EVENTS_AHEAD} events after its snapshot, or whose snapshot lies at or beyond its head, is read ahead
     * without its events: its load reads them itself. A stream whose snapshot has no sequence number, or among whose
     * events a document does not read as an event, is not read ahead: its own load judges it, as without this, and
     * only its line fails.
     */
    Map<String, Read> read(Collection<StreamHeads.Head> heads) {
        Map<String, Read> ahead = new HashMap<>();
        if (heads.isEmpty()) {
            return ahead;
        }
        Map<String, Document> snapshots = new HashMap<>();
        List<String> ids = heads.stream().map(StreamHeads.Head::stream).toList();
        for (Document snapshot : collections.snapshots().find(Filters.in("_id", ids))) {
            if (snapshot.get("_id") instanceof String id) {
                snapshots.put(id, snapshot);
            }
        }
        Map<String, String> streamOfKey = new HashMap<>();
        Map<String, Map<Long, StoredEvent>> eventsOf = new HashMap<>();
        for (StreamHeads.Head head : heads) {
            Document snapshot = snapshots.get(head.stream());
            if (snapshot != null && !(snapshot.get(StoredEvent.SEQUENCE_NUMBER) instanceof Number)) {
                // a snapshot the load judges (Axon then rebuilds from the events): nothing read ahead for it
                continue;
            }
            long from = snapshot == null ? 0 : ((Number) snapshot.get(StoredEvent.SEQUENCE_NUMBER)).longValue() + 1;
            Map<Long, StoredEvent> events = null;
            if (head.sequence() >= from && head.sequence() - from < MOST_EVENTS_AHEAD) {
                events = new TreeMap<>();
                eventsOf.put(head.stream(), events);
                for (long sequence = from; sequence <= head.sequence(); sequence++) {
                    streamOfKey.put(StoredEvent.streamKey(head.stream(), sequence), head.stream());
                }
            }
            ahead.put(head.stream(), new Read(head, snapshot, from, events));
        }
        List<String> keys = List.copyOf(streamOfKey.keySet());
        Set<String> unreadableStreams = new HashSet<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_LOOKUP) {
            List<String> some = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_LOOKUP));
            // by the key each is stored under, whatever it says inside: the load judges it as it would have
            for (Document document : collections.events().find(Filters.in(StoredEvent.STREAM_KEY, some))) {
                String stream = streamOfKey.get(document.getString(StoredEvent.STREAM_KEY));
                if (stream == null) {
                    continue;
                }
                try {
                    StoredEvent event = StoredEvent.fromDocument(document);
                    eventsOf.get(stream).put(event.sequenceNumber(), event);
                } catch (RuntimeException unreadable) {
                    // a document that is not an event: the stream's own load reads it and refuses that line only
                    unreadableStreams.add(stream);
                }
            }
        }
        unreadableStreams.forEach(ahead::remove);
        return ahead;
    }

    /**
     * Until the returned scope is closed, on this thread: a load of one of {@code empty} (found {@link #empty}) finds
     * nothing without looking, once; a load of one of {@code read} ({@link #read(Collection)}) uses its snapshot, and its
     * events if read from where the load starts, once. What is appended to such a stream meanwhile is refused at the
     * append by the stream's unique sequence numbers, as after any load.
     */
    HeadCheckedAggregateCache.CheckedAhead scope(Set<String> empty, Map<String, Read> read) {
        HeadCheckedAggregateCache.CheckedAhead emptyScope = HeadCheckedAggregateCache.within(emptyAhead, empty);
        HeadCheckedAggregateCache.CheckedAhead readScope = HeadCheckedAggregateCache.within(readAhead, read);
        return () -> {
            readScope.close();
            emptyScope.close();
        };
    }

    /** What was read ahead for the stream on this thread, if anything and no integrity failure is outstanding. */
    Read read(String stream, boolean last) {
        Map<String, Read> read = readAhead.get();
        if (read == null || check.metrics().integrityFailuresOutstanding()) {
            return null;
        }
        return last ? read.remove(stream) : read.get(stream);
    }

    /** Whether a load on this thread may take the stream as empty without looking ({@link #scope}). */
    boolean empty(String stream, boolean last) {
        Set<String> empty = emptyAhead.get();
        if (empty == null || check.metrics().integrityFailuresOutstanding()) {
            return false;
        }
        return last ? empty.remove(stream) : empty.contains(stream);
    }
}
