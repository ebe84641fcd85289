package org.ccmledger.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;

/**
 * An aggregate's side of {@link MongoEventStorageEngine}: its events read by stream key in windows and verified
 * ({@link ReadCheck}), its last sequence number, and its snapshot, stored with the hash of the event it folds up to and
 * its own hash (typed form, over the snapshot document). A snapshot that does not verify, or does not sit on the
 * aggregate's chain, is refused like a forged event; one written before snapshots were hashed is ignored (the
 * aggregate loads from its events). Logs under the engine's name.
 */
final class AggregateEvents {

    private static final Logger log = LoggerFactory.getLogger(MongoEventStorageEngine.class);
    private static final int FIRST_AGGREGATE_WINDOW = 16;
    /** A stream with more events than this after its snapshot is not read ahead: its load reads it as usual. */
    private static final int MOST_EVENTS_AHEAD = 128;
    /** Keys of one {@code $in} when reading ahead (the embedded server matches each found document against them all). */
    private static final int KEYS_PER_LOOKUP = 100;
    private static final String SNAPSHOT_EVENT_HASH = "eventHash";

    private final LedgerCollections collections;
    private final ReadCheck check;
    private final int batchSize;
    /** On this thread, within a {@link HeadCheckedAggregateCache#checkAhead} scope: streams found to hold nothing. */
    private final ThreadLocal<Set<String>> emptyAhead = new ThreadLocal<>();
    /** On this thread, within a {@link HeadCheckedAggregateCache#checkAhead} scope: streams read ahead, by stream. */
    private final ThreadLocal<Map<String, ReadAhead>> readAhead = new ThreadLocal<>();

    /**
     * A stream read ahead of its load: its head as read first, its snapshot document ({@code null} when it has none),
     * and the events stored under its keys from the one after the snapshot through the head, by sequence number
     * ({@code null} when there were too many to read ahead). Checked only when the load uses them, as a load checks
     * what it reads.
     */
    record ReadAhead(StreamHeads.Head head, Document snapshot, long from, Map<Long, StoredEvent> events) {
    }

    AggregateEvents(LedgerCollections collections, ReadCheck check, int batchSize) {
        this.collections = collections;
        this.check = check;
        this.batchSize = batchSize;
    }

    /** A cache of aggregates checked against their streams here ({@link HeadCheckedAggregateCache}). */
    HeadCheckedAggregateCache cache(int capacity) {
        return new HeadCheckedAggregateCache(collections, check, capacity, this);
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
    Map<String, ReadAhead> readAhead(Collection<StreamHeads.Head> heads) {
        Map<String, ReadAhead> ahead = new HashMap<>();
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
            ahead.put(head.stream(), new ReadAhead(head, snapshot, from, events));
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
     * nothing without looking, once; a load of one of {@code read} ({@link #readAhead}) uses its snapshot, and its
     * events if read from where the load starts, once. What is appended to such a stream meanwhile is refused at the
     * append by the stream's unique sequence numbers, as after any load.
     */
    HeadCheckedAggregateCache.CheckedAhead ahead(Set<String> empty, Map<String, ReadAhead> read) {
        HeadCheckedAggregateCache.CheckedAhead emptyScope = HeadCheckedAggregateCache.within(emptyAhead, empty);
        HeadCheckedAggregateCache.CheckedAhead readScope = HeadCheckedAggregateCache.within(readAhead, read);
        return () -> {
            readScope.close();
            emptyScope.close();
        };
    }

    /** What was read ahead for the stream on this thread, if anything and no integrity failure is outstanding. */
    private ReadAhead readAhead(String stream, boolean last) {
        Map<String, ReadAhead> read = readAhead.get();
        if (read == null || check.metrics().integrityFailuresOutstanding()) {
            return null;
        }
        return last ? read.remove(stream) : read.get(stream);
    }

    /** Whether a load on this thread may take the stream as empty without looking ({@link #emptyAhead}). */
    private boolean emptyAhead(String stream, boolean last) {
        Set<String> empty = emptyAhead.get();
        if (empty == null || check.metrics().integrityFailuresOutstanding()) {
            return false;
        }
        return last ? empty.remove(stream) : empty.contains(stream);
    }

    /**
     * Replaces the aggregate's snapshot; a failure to store is logged, not thrown (a snapshot is an optimisation), and
     * a snapshot of an event the store does not hold is not stored.
     */
    void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        String followed = check.hashes().hashOf(snapshot.getAggregateIdentifier(), snapshot.getSequenceNumber(), check);
        if (followed == null) {
            // a snapshot must sit on the aggregate's chain: without the event it folds up to there is nothing to keep
            log.warn("Not storing a snapshot of an event the store does not hold");
            return;
        }
        SerializedObject<String> payload = snapshot.serializePayload(serializer, String.class);
        SerializedObject<String> metaData = snapshot.serializeMetaData(serializer, String.class);
        Document document = new Document("_id", snapshot.getAggregateIdentifier())
                .append(StoredEvent.SEQUENCE_NUMBER, snapshot.getSequenceNumber())
                .append(StoredEvent.AGGREGATE_TYPE, snapshot.getType())
                .append(StoredEvent.EVENT_IDENTIFIER, snapshot.getIdentifier())
                .append(StoredEvent.TIMESTAMP, snapshot.getTimestamp().toString())
                .append(StoredEvent.PAYLOAD_TYPE, payload.getType().getName())
                .append(StoredEvent.PAYLOAD_REVISION, payload.getType().getRevision())
                .append(StoredEvent.PAYLOAD, payload.getData())
                .append(StoredEvent.META_DATA, metaData.getData())
                .append(SNAPSHOT_EVENT_HASH, followed)
                .append(EventHash.FORMAT_FIELD, EventHash.TYPED_FORMAT);
        document.append(StoredEvent.HASH, EventHash.typed(document));
        try {
            // a snapshot replaces only an older one: of two snapshotters, the one further on wins
            collections.snapshots().replaceOne(Filters.and(Filters.eq("_id", snapshot.getAggregateIdentifier()),
                                                           Filters.lt(StoredEvent.SEQUENCE_NUMBER,
                                                                      snapshot.getSequenceNumber())),
                                               document, new ReplaceOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCode() != LedgerCollections.DUPLICATE_KEY) {
                log.warn("Could not store a snapshot: {}", e.getClass().getSimpleName());
            }
            // else a snapshot as far or further on is stored already
        } catch (MongoException e) {
            // a snapshot is an optimisation: the aggregate still loads from its events
            log.warn("Could not store a snapshot: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * The aggregate's events from {@code firstSequenceNumber} on, at most {@code batchSize}, up to the first missing
     * sequence number; an event whose key does not match its content is refused.
     */
    List<? extends DomainEventData<?>> fetch(String aggregateIdentifier, long firstSequenceNumber, int batchSize) {
        return checked(aggregateIdentifier, firstSequenceNumber, batchSize).stream().map(AggregateEvents::entryOf)
                                                                           .toList();
    }

    private List<StoredEvent> checked(String aggregateIdentifier, long firstSequenceNumber, int batchSize) {
        List<String> keys = LongStream.range(firstSequenceNumber, firstSequenceNumber + batchSize)
                                      .mapToObj(seq -> StoredEvent.streamKey(aggregateIdentifier, seq))
                                      .toList();
        Map<Long, StoredEvent> bySequence = new TreeMap<>();
        for (Document document : collections.events().find(Filters.in(StoredEvent.STREAM_KEY, keys))) {
            StoredEvent event = StoredEvent.fromDocument(document);
            bySequence.put(event.sequenceNumber(), event);
        }
        List<StoredEvent> contiguous = contiguous(aggregateIdentifier, firstSequenceNumber, bySequence.values());
        check.all(contiguous);
        return contiguous;
    }

    /**
     * Of events in order of sequence number, those from {@code firstSequenceNumber} up to the first missing one; an
     * event of another aggregate among them is refused.
     */
    private List<StoredEvent> contiguous(String aggregateIdentifier, long firstSequenceNumber,
                                         Collection<StoredEvent> bySequence) {
        List<StoredEvent> contiguous = new ArrayList<>(bySequence.size());
        long expected = firstSequenceNumber;
        for (StoredEvent event : bySequence) {
            if (event.sequenceNumber() != expected++) {
                break;
            }
            if (!aggregateIdentifier.equals(event.aggregateIdentifier())) {
                throw check.fail(event.globalIndex(), LedgerVerifier.Problem.KEY_MISMATCH);
            }
            contiguous.add(event);
        }
        return contiguous;
    }

    /**
     * Reads an aggregate's events by key in windows that start small and double (16, 32, 64, … up to the batch size):
     * most aggregates have few events after their latest snapshot, and on the embedded server each key of an
     * {@code $in} costs a lookup whether or not it exists. The stream ends at the first window that comes back short,
     * and must reach the head the stream had before the read ({@link ReadCheck#reachesHead}): an aggregate is never
     * loaded from a stream whose last events were deleted or rewritten behind the store's back.
     */
    Stream<? extends DomainEventData<?>> stream(String identifier, long firstSequenceNumber) {
        if (firstSequenceNumber == 0 && emptyAhead(identifier, true)) {
            return Stream.empty();
        }
        ReadAhead ahead = readAhead(identifier, true);
        if (ahead != null && ahead.events() != null && ahead.from() == firstSequenceNumber) {
            List<StoredEvent> events = contiguous(identifier, firstSequenceNumber, ahead.events().values());
            if (events.size() == ahead.events().size()) {
                check.all(events);
                check.reachesHead(ahead.head(), firstSequenceNumber, events);
                return events.stream().map(AggregateEvents::entryOf);
            }
            // a gap among the keys read ahead: read as always, which judges what is there
        }
        StreamHeads.Head head = StreamHeads.read(collections.streamHeads(), identifier);
        List<StoredEvent> events = new ArrayList<>();
        long next = firstSequenceNumber;
        int window = Math.min(FIRST_AGGREGATE_WINDOW, batchSize);
        while (true) {
            List<StoredEvent> batch = checked(identifier, next, window);
            events.addAll(batch);
            if (batch.size() < window) {
                check.reachesHead(head, firstSequenceNumber, events);
                return events.stream().map(AggregateEvents::entryOf);
            }
            next += batch.size();
            window = Math.min(window * 2, batchSize);
        }
    }

    /** The sequence number of the aggregate's last event, from its snapshot on; empty when it has none. */
    Optional<Long> lastSequenceNumber(String aggregateIdentifier) {
        long snapshotSequence = readSnapshot(aggregateIdentifier).findFirst()
                                                                 .map(DomainEventData::getSequenceNumber)
                                                                 .orElse(-1L);
        long last = snapshotSequence;
        while (true) {
            List<? extends DomainEventData<?>> batch = fetch(aggregateIdentifier, last + 1, batchSize);
            if (!batch.isEmpty()) {
                last = batch.get(batch.size() - 1).getSequenceNumber();
            }
            if (batch.size() < batchSize) {
                return last < 0 ? Optional.empty() : Optional.of(last);
            }
        }
    }

    /**
     * The aggregate's snapshot, verified: its own hash, and the hash of the event it folds up to, which must be that
     * event's verified stored hash. One written before snapshots carried their own hash is ignored.
     */
    Stream<? extends DomainEventData<?>> readSnapshot(String aggregateIdentifier) {
        if (emptyAhead(aggregateIdentifier, false)) {
            return Stream.empty();
        }
        ReadAhead ahead = readAhead(aggregateIdentifier, false);
        Document d = ahead != null ? ahead.snapshot()
                : collections.snapshots().find(Filters.eq("_id", aggregateIdentifier)).first();
        if (d == null) {
            return Stream.empty();
        }
        if (!d.containsKey(StoredEvent.HASH)) {
            log.info("Ignoring a snapshot written before snapshots were hashed: the aggregate loads from its events");
            return Stream.empty();
        }
        long sequence = ((Number) d.get(StoredEvent.SEQUENCE_NUMBER)).longValue();
        String followed = check.hashes().hashOf(aggregateIdentifier, sequence, check);
        if (!EventHash.typed(d).equals(d.get(StoredEvent.HASH))) {
            throw check.fail(globalIndexOf(aggregateIdentifier, sequence), LedgerVerifier.Problem.HASH_MISMATCH);
        }
        if (followed == null || !followed.equals(d.get(SNAPSHOT_EVENT_HASH))) {
            throw check.fail(globalIndexOf(aggregateIdentifier, sequence), LedgerVerifier.Problem.CHAIN_BROKEN);
        }
        return Stream.of(new GenericDomainEventEntry<>(d.getString(StoredEvent.AGGREGATE_TYPE), aggregateIdentifier,
                                                       sequence, d.getString(StoredEvent.EVENT_IDENTIFIER),
                                                       d.getString(StoredEvent.TIMESTAMP),
                                                       d.getString(StoredEvent.PAYLOAD_TYPE),
                                                       d.getString(StoredEvent.PAYLOAD_REVISION),
                                                       d.getString(StoredEvent.PAYLOAD),
                                                       d.getString(StoredEvent.META_DATA)));
    }

    /** The global index of an aggregate's event, for a report about a snapshot that follows it; -1 when none. */
    private long globalIndexOf(String aggregateIdentifier, long sequence) {
        Document event = collections.events()
                                    .find(Filters.eq(StoredEvent.STREAM_KEY,
                                                     StoredEvent.streamKey(aggregateIdentifier, sequence)))
                                    .projection(Projections.include("_id")).first();
        return event == null ? -1 : ((Number) event.get("_id")).longValue();
    }

    /** A stored event as the serialized entry Axon deserializes and upcasts. */
    static GenericDomainEventEntry<String> entryOf(StoredEvent e) {
        return new GenericDomainEventEntry<>(e.aggregateType(), e.aggregateIdentifier(), e.sequenceNumber(),
                                             e.eventIdentifier(), e.timestamp(), e.payloadType(),
                                             e.payloadRevision(), e.payload(), e.metaData());
    }
}
