package org.ccmledger.billing.readmodel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.eventhandling.DomainEventMessage;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.CountedEvent;
import org.ccmledger.billing.api.EventRef;
import org.ccmledger.billing.rules.PatientBillingRecord;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.ledger.LedgerLookup;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.platform.axon.StoredEventPayloads;
import org.springframework.stereotype.Component;

/**
 * Reads billing's facts straight from the ledger, not from any read model: a patient's enrollment and care-plan
 * streams folded into a {@link PatientBillingRecord}, a patient-month's billing stream, and the stored hash of each
 * event counted. Used to close months, to compute adjustments and to verify statements. Blocking.
 */
@Component
public class BillingLedger {

    /** What a fold read: the record, and how far into each stream. */
    public record Folded(PatientBillingRecord record, long enrollmentSequence, int carePlanVersion,
                         List<StoredEvent> events) {

        /** What was folded, without the events read for it. */
        public Folded(PatientBillingRecord record, long enrollmentSequence, int carePlanVersion) {
            this(record, enrollmentSequence, carePlanVersion, List.of());
        }
    }

    private final LedgerLookup lookup;
    private final StoredEventPayloads payloads;

    BillingLedger(LedgerLookup lookup, StoredEventPayloads payloads) {
        this.lookup = lookup;
        this.payloads = payloads;
    }

    /**
     * The same reads of the ledger as it is found, without verify-on-read: for statement verification, which checks
     * every hash itself and reports each difference. Never to bill or export from.
     */
    public BillingLedger asFound() {
        return new BillingLedger(lookup.asFound(), payloads);
    }

    /** The patient's record from every event stored now. */
    public Folded fold(EnrollmentId enrollmentId) {
        return fold(enrollmentId, Long.MAX_VALUE, Integer.MAX_VALUE, null);
    }

    /**
     * The patient's record as of an enrollment sequence number and a care-plan version (re-verification), and/or as
     * the ledger knew it at an instant ({@code recordedUpTo}, by the ledger's recorded time; {@code null}: now).
     */
    public Folded fold(EnrollmentId enrollmentId, long upToSequence, int upToCarePlanVersion, Instant recordedUpTo) {
        return fold(lookup.stream(enrollmentId.toString(), recordedUpTo),
                    lookup.stream(new CarePlanId(enrollmentId).toString(), recordedUpTo), upToSequence,
                    upToCarePlanVersion);
    }

    /** A patient's enrollment and care-plan streams, as read (whole, in sequence order). */
    public record PatientStreams(List<StoredEvent> enrollment, List<StoredEvent> carePlan) {
    }

    /** The patient's two streams now. */
    public PatientStreams streamsOf(EnrollmentId enrollmentId) {
        return new PatientStreams(lookup.stream(enrollmentId.toString(), null),
                                  lookup.stream(new CarePlanId(enrollmentId).toString(), null));
    }

    /**
     * The streams of many patients now, as {@link #streamsOf(EnrollmentId)} reads each, read together with a few
     * lookups ({@link LedgerLookup#streams}).
     */
    public Map<EnrollmentId, PatientStreams> streamsOf(List<EnrollmentId> enrollmentIds) {
        List<String> streams = new ArrayList<>(enrollmentIds.size() * 2);
        for (EnrollmentId id : enrollmentIds) {
            streams.add(id.toString());
            streams.add(new CarePlanId(id).toString());
        }
        Map<String, List<StoredEvent>> read = lookup.streams(streams);
        Map<EnrollmentId, PatientStreams> byPatient = new LinkedHashMap<>();
        for (EnrollmentId id : enrollmentIds) {
            byPatient.put(id, new PatientStreams(read.get(id.toString()), read.get(new CarePlanId(id).toString())));
        }
        return byPatient;
    }

    /** The records of many patients from every event stored now, as {@link #fold(EnrollmentId)} folds each. */
    public Map<EnrollmentId, Folded> foldAll(List<EnrollmentId> enrollmentIds) {
        Map<EnrollmentId, Folded> folded = new LinkedHashMap<>();
        streamsOf(enrollmentIds).forEach((id, streams) -> folded.put(id, fold(streams, Long.MAX_VALUE,
                                                                             Integer.MAX_VALUE)));
        return folded;
    }

    /** The record folded from streams already read, up to an enrollment sequence number and a care-plan version. */
    public Folded fold(PatientStreams streams, long upToSequence, int upToCarePlanVersion) {
        return fold(streams.enrollment(), streams.carePlan(), upToSequence, upToCarePlanVersion);
    }

    private Folded fold(List<StoredEvent> enrollment, List<StoredEvent> carePlan, long upToSequence,
                        int upToCarePlanVersion) {
        PatientBillingRecord record = PatientBillingRecord.empty();
        long lastSequence = -1;
        List<StoredEvent> read = new ArrayList<>(enrollment.size() + carePlan.size());
        for (StoredEvent event : enrollment) {
            if (event.sequenceNumber() > upToSequence) {
                break;
            }
            record = record.apply(payloads.payload(event), ref(event));
            lastSequence = event.sequenceNumber();
            read.add(event);
        }
        int carePlanVersion = 0;
        for (StoredEvent event : carePlan) {
            Object payload = payloads.payload(event);
            if (payload instanceof CarePlanRevised revised) {
                if (revised.version() > upToCarePlanVersion) {
                    break;
                }
                carePlanVersion = revised.version();
            }
            record = record.apply(payload, ref(event));
            read.add(event);
        }
        return new Folded(record, lastSequence, carePlanVersion, read);
    }

    /**
     * Whether nothing has been appended to a patient's enrollment or care-plan stream since a fold found them ending at
     * {@code enrollmentSequence} and {@code carePlanVersion} (what a statement records): the enrollment stream has no
     * event past that sequence, and the care-plan stream ends with that version (version {@code v} is the stream's
     * event {@code v - 1}; a care plan has no other events). One lookup of three keys. {@code false} whenever the
     * streams are not plainly so, so that the caller folds them again.
     */
    public boolean unchangedSince(EnrollmentId enrollmentId, long enrollmentSequence, int carePlanVersion) {
        String carePlan = new CarePlanId(enrollmentId).toString();
        String nextEnrollment = StoredEvent.streamKey(enrollmentId.toString(), enrollmentSequence + 1);
        String nextCarePlan = StoredEvent.streamKey(carePlan, carePlanVersion);
        String lastCarePlan = carePlanVersion > 0 ? StoredEvent.streamKey(carePlan, carePlanVersion - 1) : null;
        List<String> keys = new ArrayList<>(List.of(nextEnrollment, nextCarePlan));
        if (lastCarePlan != null) {
            keys.add(lastCarePlan);
        }
        Map<String, StoredEvent> found = lookup.find(keys);
        if (enrollmentSequence < 0 || found.containsKey(nextEnrollment) || found.containsKey(nextCarePlan)) {
            return false;
        }
        return lastCarePlan == null || (found.get(lastCarePlan) != null
                && payloads.payload(found.get(lastCarePlan)) instanceof CarePlanRevised revised
                && revised.version() == carePlanVersion);
    }

    /** The statement and adjustments of a patient-month, in order; empty when the month was never closed. */
    public List<Object> billingStream(BillingMonthId id) {
        return billingStream(id, null);
    }

    /** The billing events of a patient-month as stored, with their hashes. */
    public List<StoredEvent> billingEvents(BillingMonthId id) {
        return lookup.stream(id.toString(), null);
    }

    /**
     * The billing events of many patient-months as stored, each stream read whole and verified like
     * {@link #billingEvents}, with a few lookups for all of them; a month never closed maps to an empty list.
     */
    public Map<BillingMonthId, List<StoredEvent>> billingEvents(List<BillingMonthId> ids) {
        Map<String, List<StoredEvent>> read = lookup.streams(ids.stream().map(BillingMonthId::toString).toList());
        Map<BillingMonthId, List<StoredEvent>> streams = new LinkedHashMap<>();
        ids.forEach(id -> streams.put(id, read.get(id.toString())));
        return streams;
    }

    public Object payload(StoredEvent event) {
        return payloads.payload(event);
    }

    /** The same, as the ledger knew it at an instant ({@code null}: now). */
    public List<Object> billingStream(BillingMonthId id, Instant recordedUpTo) {
        return lookup.stream(id.toString(), recordedUpTo).stream().map(payloads::payload).toList();
    }

    /** Each event with the hash the ledger stores for it; refuses if one is missing (it was counted, so it exists). */
    public List<CountedEvent> withHashes(List<EventRef> refs) {
        return withHashes(refs, List.of());
    }

    /**
     * The same, taking the events a fold has read and verified already ({@link Folded#events()}) instead of reading
     * them again; only counted events not among them are looked up.
     */
    public List<CountedEvent> withHashes(List<EventRef> refs, List<StoredEvent> read) {
        Map<String, StoredEvent> stored = new java.util.HashMap<>();
        read.forEach(event -> stored.put(event.streamKey(), event));
        List<String> missing = refs.stream().map(BillingLedger::key).filter(k -> !stored.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            stored.putAll(lookup.find(missing));
        }
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
    public Map<String, StoredEvent> stored(List<CountedEvent> counted) {
        return lookup.find(counted.stream().map(c -> StoredEvent.streamKey(c.aggregateId(), c.sequence())).toList());
    }

    static String key(EventRef ref) {
        return StoredEvent.streamKey(ref.aggregateId(), ref.sequence());
    }

    static EventRef ref(StoredEvent event) {
        return new EventRef(event.aggregateIdentifier(), event.sequenceNumber(), event.eventIdentifier());
    }

    static EventRef ref(DomainEventMessage<?> event) {
        return new EventRef(event.getAggregateIdentifier(), event.getSequenceNumber(), event.getIdentifier());
    }
}
