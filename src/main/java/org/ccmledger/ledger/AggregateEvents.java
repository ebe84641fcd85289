package org.ccmledger.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final String SNAPSHOT_EVENT_HASH = "eventHash";

    private final LedgerCollections collections;
    private final ReadCheck check;
    private final int batchSize;
    /** What an import batch found of its streams before loading them ({@link HeadCheckedAggregateCache#checkAhead}). */
    private final StreamsAhead ahead;

    AggregateEvents(LedgerCollections collections, ReadCheck check, int batchSize) {
        this.collections = collections;
        this.check = check;
        this.batchSize = batchSize;
        this.ahead = new StreamsAhead(collections, check);
    }

    /** A cache of aggregates checked against their streams here ({@link HeadCheckedAggregateCache}). */
    HeadCheckedAggregateCache cache(int capacity) {
        return new HeadCheckedAggregateCache(collections, check, capacity, ahead);
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
        if (firstSequenceNumber == 0 && ahead.empty(identifier, true)) {
            return Stream.empty();
        }
        StreamsAhead.Read read = ahead.read(identifier, true);
        if (read != null && read.events() != null && read.from() == firstSequenceNumber) {
            List<StoredEvent> events = contiguous(identifier, firstSequenceNumber, read.events().values());
            if (events.size() == read.events().size()) {
                check.all(events);
                check.reachesHead(read.head(), firstSequenceNumber, events);
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
        if (ahead.empty(aggregateIdentifier, false)) {
            return Stream.empty();
        }
        StreamsAhead.Read read = ahead.read(aggregateIdentifier, false);
        Document d = read != null ? read.snapshot()
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
        return new StoredEntry(e);
    }
}
