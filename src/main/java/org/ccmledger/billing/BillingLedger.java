package org.ccmledger.billing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.CountedEvent;
import org.ccmledger.billing.api.EventRef;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.enrollment.api.EnrollmentId;
import org.ccmledger.ledger.LedgerLookup;
import org.ccmledger.ledger.StoredEvent;
import org.springframework.stereotype.Component;

/**
 * Reads billing's facts straight from the ledger, not from any read model: a patient's enrollment and care-plan
 * streams folded into a {@link PatientBillingRecord}, a patient-month's billing stream, and the stored hash of each
 * event counted. Used to close months, to compute adjustments and to verify statements. Blocking.
 */
@Component
class BillingLedger {

    /** What a fold read: the record, and how far into each stream. */
    record Folded(PatientBillingRecord record, long enrollmentSequence, int carePlanVersion) {
    }

    private final EventStore eventStore;
    private final LedgerLookup lookup;

    BillingLedger(EventStore eventStore, LedgerLookup lookup) {
        this.eventStore = eventStore;
        this.lookup = lookup;
    }

    /** The patient's record from every event stored now. */
    Folded fold(EnrollmentId enrollmentId) {
        return fold(enrollmentId, Long.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** The patient's record as of an enrollment sequence number and a care-plan version (for re-verification). */
    Folded fold(EnrollmentId enrollmentId, long upToSequence, int upToCarePlanVersion) {
        PatientBillingRecord record = new PatientBillingRecord();
        long lastSequence = -1;
        DomainEventStream stream = eventStore.readEvents(enrollmentId.toString(), 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (event.getSequenceNumber() > upToSequence) {
                break;
            }
            record.apply(event.getPayload(), ref(event));
            lastSequence = event.getSequenceNumber();
        }
        int carePlanVersion = 0;
        DomainEventStream plans = eventStore.readEvents(new CarePlanId(enrollmentId).toString(), 0);
        while (plans.hasNext()) {
            DomainEventMessage<?> event = plans.next();
            if (event.getPayload() instanceof CarePlanRevised revised) {
                if (revised.version() > upToCarePlanVersion) {
                    break;
                }
                carePlanVersion = revised.version();
            }
            record.apply(event.getPayload(), ref(event));
        }
        return new Folded(record, lastSequence, carePlanVersion);
    }

    /** The statement and adjustments of a patient-month, in order; empty when the month was never closed. */
    List<Object> billingStream(BillingMonthId id) {
        List<Object> events = new ArrayList<>();
        eventStore.readEvents(id.toString(), 0).asStream().forEach(e -> events.add(e.getPayload()));
        return events;
    }

    /** Each event with the hash the ledger stores for it; refuses if one is missing (it was counted, so it exists). */
    List<CountedEvent> withHashes(List<EventRef> refs) {
        Map<String, StoredEvent> stored = lookup.find(refs.stream().map(BillingLedger::key).toList());
        List<CountedEvent> counted = new ArrayList<>();
        for (EventRef ref : refs) {
            StoredEvent event = stored.get(key(ref));
            if (event == null || !event.eventIdentifier().equals(ref.eventId())) {
                throw new IllegalStateException("counted event " + ref.eventId() + " is not in the ledger");
            }
            counted.add(new CountedEvent(ref.aggregateId(), ref.sequence(), ref.eventId(), event.hash()));
        }
        return counted;
    }

    /** The stored events behind counted events, keyed by stream key, for re-verification. */
    Map<String, StoredEvent> stored(List<CountedEvent> counted) {
        return lookup.find(counted.stream().map(c -> StoredEvent.streamKey(c.aggregateId(), c.sequence())).toList());
    }

    static String key(EventRef ref) {
        return StoredEvent.streamKey(ref.aggregateId(), ref.sequence());
    }

    static EventRef ref(DomainEventMessage<?> event) {
        return new EventRef(event.getAggregateIdentifier(), event.getSequenceNumber(), event.getIdentifier());
    }
}
