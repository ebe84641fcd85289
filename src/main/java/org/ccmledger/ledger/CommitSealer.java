package org.ccmledger.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

/**
 * Seals a commit's events for {@link EventAppender}: each becomes the stored event at its reserved global index,
 * hashed onto its aggregate's chain (a standalone event onto the genesis hash). Refuses an event whose aggregate's
 * previous event is not in the store.
 */
final class CommitSealer {

    private final ReadCheck check;

    CommitSealer(ReadCheck check) {
        this.check = check;
    }

    /** An event with its payload and metadata serialized, before any global index is reserved for it. */
    record Prepared(EventMessage<?> event, SerializedObject<String> payload,
                            SerializedObject<String> metaData) {
        static Prepared of(EventMessage<?> event, Serializer serializer) {
            return new Prepared(event, event.serializePayload(serializer, String.class),
                                event.serializeMetaData(serializer, String.class));
        }

        String identifier() {
            return event.getIdentifier();
        }
    }

    /**
     * The commit's events as stored documents, indexes from {@code first} on, each hashed onto its aggregate's chain:
     * after the previous event in the same commit, else the stored one (which must be there), else genesis.
     */
    List<StoredEvent> seal(List<Prepared> events, long first, Instant recordedAt) {
        Map<String, String> lastHashInCommit = new HashMap<>();
        List<StoredEvent> sealed = new ArrayList<>(events.size());
        long index = first;
        for (Prepared prepared : events) {
            EventMessage<?> event = prepared.event();
            String aggregateId = null;
            String aggregateType = null;
            long sequence = 0;
            String streamKey = StoredEvent.standaloneStreamKey(event.getIdentifier());
            String previousHash = EventHash.GENESIS;
            if (event instanceof DomainEventMessage<?> domainEvent && domainEvent.getAggregateIdentifier() != null) {
                aggregateId = domainEvent.getAggregateIdentifier();
                aggregateType = domainEvent.getType();
                sequence = domainEvent.getSequenceNumber();
                streamKey = StoredEvent.streamKey(aggregateId, sequence);
                previousHash = previousHash(aggregateId, sequence, lastHashInCommit);
            }
            StoredEvent stored = StoredEvent.unsealed(index++, streamKey, aggregateId, sequence, aggregateType,
                                                      event.getIdentifier(), event.getTimestamp().toString(),
                                                      prepared.payload().getType().getName(),
                                                      prepared.payload().getType().getRevision(),
                                                      prepared.payload().getData(), prepared.metaData().getData(),
                                                      recordedAt, previousHash).sealed();
            if (aggregateId != null) {
                lastHashInCommit.put(aggregateId, stored.hash());
            }
            sealed.add(stored);
        }
        return sealed;
    }

    private String previousHash(String aggregateId, long sequence, Map<String, String> lastHashInCommit) {
        if (sequence == 0) {
            return EventHash.GENESIS;
        }
        String inCommit = lastHashInCommit.get(aggregateId);
        if (inCommit != null) {
            return inCommit;
        }
        String previous = check.hashes().hashOf(aggregateId, sequence - 1, check);
        if (previous == null) {
            // the aggregate's previous event is not in the store: writing this one would break its chain
            throw new EventStoreException("The previous event of an aggregate is missing; refusing to append");
        }
        return previous;
    }
}
