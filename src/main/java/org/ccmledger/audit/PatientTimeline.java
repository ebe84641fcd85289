package org.ccmledger.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.ccmledger.audit.api.PatientDataAccessed;
import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.consent.api.ConsentPeriod;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.platform.axon.ProcessorCatchUp;
import org.ccmledger.platform.axon.StoredEventPayloads;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

/**
 * Every event of a patient in ledger order — enrollment, consent, time, care plan, billing — with each correction
 * linked to what it corrects: a time entry's correction or void to the entry's logging, a revocation or practitioner
 * change to the consent it ends (by the consent fold, {@link ConsentPeriods}), a care-plan revision to the version before, an adjustment to the statement or adjustment it replaces.
 * Access records are left out (they are in the access log). Blocking.
 */
@Component
class PatientTimeline {

    /** One event, what it corrects (an event id) and what later corrected it. */
    // one name per schema in the OpenAPI document: another class is called Entry too
    @io.swagger.v3.oas.annotations.media.Schema(name = "TimelineEntry")
    record Entry(AuditEvent event, String corrects, List<String> correctedBy) {
    }

    /** An event of the log with its payload as its Java type. */
    private record Typed(AuditEvent event, Object payload) {
    }

    private final AuditLog log;
    private final ProcessorCatchUp catchUp;
    private final StoredEventPayloads payloads;

    PatientTimeline(AuditLog log, ProcessorCatchUp catchUp, StoredEventPayloads payloads) {
        this.log = log;
        this.catchUp = catchUp;
        this.payloads = payloads;
    }

    /** The whole timeline, once the index has caught up with every event stored before the call. */
    List<Entry> of(String practiceId, String patientId) {
        catchUp.await(AuditIndexProjection.PROCESSING_GROUP, java.time.Duration.ofSeconds(10));
        List<Typed> events = new ArrayList<>();
        Iterator<AuditEvent> all = log.events(new EventQuery(practiceId, patientId, null, null, null, null, null,
                                                             null, 0, EventQuery.MAX_LIMIT));
        all.forEachRemaining(e -> {
            Object payload = payloads.payload(e.payloadType(), e.revision(), e.payload());
            if (!(payload instanceof PatientDataAccessed)) {
                events.add(new Typed(e, payload));
            }
        });
        if (events.isEmpty()) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
        Map<String, String> entryLogged = new HashMap<>();
        ConsentPeriods<String> consents = ConsentPeriods.none();
        Map<String, String> lastInStream = new HashMap<>();
        Map<String, String> corrects = new HashMap<>();
        Map<String, List<String>> correctedBy = new HashMap<>();
        for (Typed typed : events) {
            AuditEvent e = typed.event();
            Object payload = typed.payload();
            String target = null;
            if (payload instanceof CareMinutesLogged logged) {
                entryLogged.put(logged.entryId().value(), e.eventId());
            } else if (payload instanceof CareMinutesCorrected corrected) {
                target = entryLogged.get(corrected.entryId().value());
            } else if (payload instanceof CareMinutesVoided voided) {
                target = entryLogged.get(voided.entryId().value());
            } else if (payload instanceof CarePlanRevised || payload instanceof BillingAdjustmentIssued) {
                target = lastInStream.get(e.aggregateId());
            }
            if (ConsentPeriods.concerns(payload)) {
                consents = consents.apply(payload, e.eventId());
                // a revocation or practitioner change corrects the consent it ended
                target = consents.decisions().stream()
                                 .filter(c -> c.end() != null && e.eventId().equals(c.end().source()))
                                 .map(ConsentPeriod::source).findFirst().orElse(target);
            }
            if (e.aggregateId() != null) {
                lastInStream.put(e.aggregateId(), e.eventId());
            }
            if (target != null) {
                corrects.put(e.eventId(), target);
                correctedBy.computeIfAbsent(target, t -> new ArrayList<>()).add(e.eventId());
            }
        }
        return events.stream().map(Typed::event)
                     .map(e -> new Entry(e, corrects.get(e.eventId()), correctedBy.getOrDefault(e.eventId(), List.of())))
                     .toList();
    }
}
