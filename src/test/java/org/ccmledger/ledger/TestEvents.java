package org.ccmledger.ledger;

import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;

/** Object mother for events the store tests append. */
final class TestEvents {

    record Counted(String counter, long n, String note) {
    }

    private TestEvents() {
    }

    static DomainEventMessage<Counted> counted(String aggregateId, long sequence) {
        return new GenericDomainEventMessage<>("Counter", aggregateId, sequence,
                                               new Counted(aggregateId, sequence, "note " + sequence),
                                               MetaData.with("actor", "tester"));
    }

    static List<DomainEventMessage<?>> counted(String aggregateId, long firstSequence, int count) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(counted(aggregateId, firstSequence + i));
        }
        return events;
    }
}
