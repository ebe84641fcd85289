package org.ccmledger.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

/**
 * Every event of a patient in ledger order — enrollment, consent, time, care plan, billing — with each correction
 * linked to what it corrects: a time entry's correction or void to the entry's logging, a revocation to the consent it
 * ends, a care-plan revision to the version before, an adjustment to the statement or adjustment it replaces.
 * Access records are left out (they are in the access log). Blocking.
 */
@Component
class PatientTimeline {

    /** One event, what it corrects (an event id) and what later corrected it. */
    record Entry(AuditEvent event, String corrects, List<String> correctedBy) {
    }

    private final AuditLog log;
    private final org.ccmledger.platform.axon.ProcessorCatchUp catchUp;

    PatientTimeline(AuditLog log, org.ccmledger.platform.axon.ProcessorCatchUp catchUp) {
        this.log = log;
        this.catchUp = catchUp;
    }

    /** The whole timeline, once the index has caught up with every event stored before the call. */
    List<Entry> of(String practiceId, String patientId) {
        catchUp.await(AuditIndexProjection.PROCESSING_GROUP, java.time.Duration.ofSeconds(10));
        List<AuditEvent> events = new ArrayList<>();
        Iterator<AuditEvent> all = log.events(new EventQuery(practiceId, patientId, null, null, null, null, null,
                                                             null, 0, EventQuery.MAX_LIMIT));
        all.forEachRemaining(e -> {
            if (!"PatientDataAccessed".equals(e.type())) {
                events.add(e);
            }
        });
        if (events.isEmpty()) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
        Map<String, String> entryLogged = new HashMap<>();
        Map<String, String> consentFor = new HashMap<>();
        Map<String, String> lastInStream = new HashMap<>();
        Map<String, String> corrects = new HashMap<>();
        Map<String, List<String>> correctedBy = new HashMap<>();
        for (AuditEvent e : events) {
            String target = switch (e.type()) {
                case "CareMinutesLogged" -> {
                    entryLogged.put(String.valueOf(e.payload().get("entryId")), e.eventId());
                    yield null;
                }
                case "CareMinutesCorrected", "CareMinutesVoided" -> entryLogged.get(
                        String.valueOf(e.payload().get("entryId")));
                case "ConsentRecorded" -> {
                    consentFor.put(String.valueOf(e.payload().get("billingPractitioner")), e.eventId());
                    yield null;
                }
                case "ConsentRevoked" -> consentFor.get(String.valueOf(e.payload().get("billingPractitioner")));
                case "BillingPractitionerChanged" -> consentFor.get(String.valueOf(e.payload().get("previous")));
                case "CarePlanRevised", "BillingAdjustmentIssued" -> lastInStream.get(e.aggregateId());
                default -> null;
            };
            if (e.aggregateId() != null) {
                lastInStream.put(e.aggregateId(), e.eventId());
            }
            if (target != null) {
                corrects.put(e.eventId(), target);
                correctedBy.computeIfAbsent(target, t -> new ArrayList<>()).add(e.eventId());
            }
        }
        return events.stream().map(e -> new Entry(e, corrects.get(e.eventId()),
                                                  correctedBy.getOrDefault(e.eventId(), List.of()))).toList();
    }
}
