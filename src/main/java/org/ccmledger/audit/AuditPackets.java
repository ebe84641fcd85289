package org.ccmledger.audit;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.queryhandling.QueryGateway;
import org.ccmledger.audit.AuditPacket.Change;
import org.ccmledger.audit.AuditPacket.StreamCheck;
import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.BillingViews.PatientMonthView;
import org.ccmledger.billing.api.FindBillingMonth;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.ComplexityAttested;
import org.ccmledger.patient.ConcurrentServiceRecorded;
import org.ccmledger.patient.InpatientStayRecorded;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.InitiatingVisitRecorded;
import org.ccmledger.patient.PatientDied;
import org.ccmledger.patient.PatientDisenrolled;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.ledger.LedgerCollections;
import org.ccmledger.ledger.LedgerLookup;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.platform.axon.StoredEventPayloads;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

/** Assembles {@link AuditPacket}s straight from the patient's streams in the ledger. Blocking. */
@Component
class AuditPackets {

    private final LedgerLookup lookup;
    private final StoredEventPayloads payloads;
    private final QueryGateway queries;
    private final LedgerVerifier verifier;

    AuditPackets(LedgerLookup lookup, StoredEventPayloads payloads, QueryGateway queries,
                 LedgerCollections collections) {
        this.lookup = lookup;
        this.payloads = payloads;
        this.queries = queries;
        this.verifier = new LedgerVerifier(collections);
    }

    AuditPacket packet(EnrollmentId id, YearMonth month) {
        List<StoredEvent> enrollmentStream = lookup.stream(id.toString(), null);
        if (enrollmentStream.isEmpty()) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
        PatientEnrolled enrolled = null;
        Instant enrolledAt = null;
        List<AuditPacket.PractitionerChange> changes = new ArrayList<>();
        ConsentPeriods<String> consents = ConsentPeriods.none();
        List<AuditPacket.Visit> visits = new ArrayList<>();
        List<AuditPacket.ClinicalFact> facts = new ArrayList<>();
        Map<String, AuditPacket.TimeEntry> entries = new LinkedHashMap<>();
        java.time.LocalDate death = null;
        Instant disenrolled = null;
        for (StoredEvent stored : enrollmentStream) {
            Object event = payloads.payload(stored);
            String actor = actor(stored);
            consents = consents.apply(event, stored.eventIdentifier());
            if (event instanceof PatientEnrolled e) {
                enrolled = e;
                enrolledAt = stored.recordedAt();
            } else if (event instanceof BillingPractitionerChanged e) {
                changes.add(new AuditPacket.PractitionerChange(e.previous().value(), e.billingPractitioner().value(),
                                                               e.effectiveAt()));
            } else if (event instanceof InitiatingVisitRecorded e) {
                visits.add(new AuditPacket.Visit(e.visitDate(), e.visitType().name(), e.emLevel(),
                                                 e.practitioner().value(), e.comprehensiveCarePlanning(),
                                                 stored.eventIdentifier()));
            } else if (event instanceof CareMinutesLogged e) {
                entries.put(e.entryId().value(), new AuditPacket.TimeEntry(
                        e.entryId().value(), e.performer().id(), e.performer().role().name(), e.activity().name(),
                        e.startedAt(), e.minutes(), "LIVE", stored.recordedAt(), actor, List.of(),
                        stored.eventIdentifier()));
            } else if (event instanceof CareMinutesCorrected e) {
                change(entries, e.entryId().value(), "CORRECTED",
                       new Change("CORRECTED", stored.recordedAt(), actor, e.reason(), e.previousStartedAt(),
                                  e.previousMinutes(), e.startedAt(), e.minutes(), stored.eventIdentifier()));
            } else if (event instanceof CareMinutesVoided e) {
                change(entries, e.entryId().value(), "VOIDED",
                       new Change("VOIDED", stored.recordedAt(), actor, e.reason(), null, null, null, null,
                                  stored.eventIdentifier()));
            } else if (event instanceof ComplexityAttested e && e.month().equals(month)) {
                facts.add(new AuditPacket.ClinicalFact("COMPLEXITY_ATTESTED", e.medicalDecisionMaking()
                        + " medical decision making, attested by " + e.attestedBy(), stored.eventIdentifier()));
            } else if (event instanceof InpatientStayRecorded e && !e.admittedOn().isAfter(month.atEndOfMonth())
                       && !e.dischargedOn().isBefore(month.atDay(1))) {
                facts.add(new AuditPacket.ClinicalFact("INPATIENT_STAY", e.admittedOn() + " to " + e.dischargedOn(),
                                                       stored.eventIdentifier()));
            } else if (event instanceof ConcurrentServiceRecorded e && e.month().equals(month)) {
                facts.add(new AuditPacket.ClinicalFact("CONCURRENT_SERVICE", e.code() + " (" + e.kind() + ") by NPI "
                        + (e.practitioner() == null ? "unknown" : e.practitioner().value()), stored.eventIdentifier()));
            } else if (event instanceof PatientDied e) {
                death = e.dateOfDeath();
            } else if (event instanceof PatientDisenrolled e) {
                disenrolled = e.effectiveAt();
            }
        }
        ZoneId zone = enrolled.timeZone();
        Instant monthStart = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant monthEnd = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        List<AuditPacket.TimeEntry> inMonth = entries.values().stream()
                                                     .filter(t -> touches(t, monthStart, monthEnd)).toList();

        List<AuditPacket.CarePlanVersionLine> history = new ArrayList<>();
        List<CarePlanRevised> plans = new ArrayList<>();
        String carePlanStream = new CarePlanId(id).toString();
        for (StoredEvent stored : lookup.stream(carePlanStream, null)) {
            if (payloads.payload(stored) instanceof CarePlanRevised r) {
                history.add(new AuditPacket.CarePlanVersionLine(r.version(), r.revisedAt(), r.revisedBy(),
                                                                r.substantialRevision(), r.sharedWithPatientAt(),
                                                                stored.eventIdentifier()));
                plans.add(r);
            }
        }
        BillingMonthId billingMonth = new BillingMonthId(id, month);
        BillingStatementIssued statement = null;
        List<BillingAdjustmentIssued> adjustments = new ArrayList<>();
        for (StoredEvent stored : lookup.stream(billingMonth.toString(), null)) {
            Object event = payloads.payload(stored);
            if (event instanceof BillingStatementIssued s) {
                statement = s;
            } else if (event instanceof BillingAdjustmentIssued a) {
                adjustments.add(a);
            }
        }
        // the plan in force on the date of service billed (the date of death when earlier), else at month end
        Instant planCut = statement == null ? monthEnd
                : statement.dateOfService().plusDays(1).atStartOfDay(zone).toInstant();
        CarePlanRevised inForce = plans.stream().filter(r -> r.revisedAt().isBefore(planCut))
                                       .reduce((a, b) -> b).orElse(null);
        PatientMonthView now = queries.query(new FindBillingMonth(id, month, null), PatientMonthView.class).join();
        List<StreamCheck> checks = new ArrayList<>();
        for (String stream : List.of(id.toString(), carePlanStream, billingMonth.toString())) {
            LedgerVerifier.Report report = verifier.verifyAggregate(stream);
            checks.add(new StreamCheck(stream, report.eventsChecked(), report.intact(),
                                       report.intact() ? null : report.firstBreak().problem() + " at global index "
                                                                + report.firstBreak().globalIndex()));
        }
        List<org.ccmledger.billing.api.CountedEvent> cited = new ArrayList<>();
        if (statement != null) {
            cited.addAll(statement.eventsCounted());
        }
        adjustments.forEach(a -> cited.addAll(a.eventsCounted()));
        checks.add(evidence(cited));
        AuditPacket.Enrollment enrollment = new AuditPacket.Enrollment(
                enrolledAt, enrolled.billingPractitioner().value(), zone.getId(),
                enrolled.qualifiedMedicareBeneficiary(), enrolled.initiatingVisitRequired(),
                enrolled.chronicConditions(), changes, death, disenrolled);
        return new AuditPacket(id.practiceId().value(), id.patientId().value(), month.toString(),
                               org.axonframework.eventhandling.GenericEventMessage.clock.instant(), enrollment,
                               consents.decisions().stream().map(AuditPacket.ConsentEvidence::of).toList(), inForce, history, visits, facts, inMonth, statement,
                               adjustments, now,
                               new AuditPacket.Integrity(checks.stream().allMatch(StreamCheck::intact), checks));
    }

    /** Each event the statement and adjustments counted: still in the ledger, with the hash recorded then. */
    private StreamCheck evidence(List<org.ccmledger.billing.api.CountedEvent> cited) {
        Map<String, StoredEvent> stored = lookup.find(
                cited.stream().map(c -> StoredEvent.streamKey(c.aggregateId(), c.sequence())).distinct().toList());
        for (org.ccmledger.billing.api.CountedEvent c : cited) {
            StoredEvent now = stored.get(StoredEvent.streamKey(c.aggregateId(), c.sequence()));
            if (now == null || !c.hash().equals(now.hash()) || !now.hashMatches()) {
                return new StreamCheck("evidence cited by the statement and adjustments", cited.size(), false,
                                       "event " + c.eventId() + (now == null ? " missing"
                                               : " no longer has the hash recorded when it was billed"));
            }
        }
        return new StreamCheck("evidence cited by the statement and adjustments", cited.size(), true, null);
    }

    private static boolean touches(AuditPacket.TimeEntry entry, Instant start, Instant end) {
        List<Instant[]> intervals = new ArrayList<>();
        intervals.add(new Instant[] {entry.startedAt(), entry.startedAt().plusSeconds(60L * entry.minutes())});
        for (Change change : entry.changes()) {
            if (change.startedAt() != null) {
                intervals.add(new Instant[] {change.startedAt(),
                                             change.startedAt().plusSeconds(60L * change.minutes())});
            }
        }
        return intervals.stream().anyMatch(i -> i[0].isBefore(end) && i[1].isAfter(start));
    }

    private static void change(Map<String, AuditPacket.TimeEntry> entries, String entryId, String status,
                               Change change) {
        entries.computeIfPresent(entryId, (k, t) -> {
            List<Change> all = new ArrayList<>(t.changes());
            all.add(change);
            return new AuditPacket.TimeEntry(t.entryId(), t.performerId(), t.role(), t.activity(), t.startedAt(),
                                             t.minutes(), status, t.loggedAt(), t.loggedBy(), all, t.eventId());
        });
    }

    private String actor(StoredEvent stored) {
        Object actor = payloads.metaData(stored).get("actor");
        return actor == null ? null : actor.toString();
    }
}
