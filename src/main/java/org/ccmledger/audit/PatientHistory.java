package org.ccmledger.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.axonframework.queryhandling.QueryGateway;
import org.ccmledger.billing.api.BillingViews.PatientMonthView;
import org.ccmledger.billing.api.FindBillingMonth;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.consent.api.ConsentEnd;
import org.ccmledger.consent.api.ConsentPeriod;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientDied;
import org.ccmledger.patient.PatientDisenrolled;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.ledger.LedgerLookup;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.platform.axon.StoredEventPayloads;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

/**
 * A patient's state as the ledger knew it at an instant, rebuilt from the patient's own events recorded up to then
 * (their enrollment and care-plan streams, read by key from the store) — never from the current read models. Billing
 * per month comes from the billing feature's own as-known-at evaluation, which folds the same streams. Blocking.
 */
@Component
class PatientHistory {

    /** A consent decision and how it ended. */
    record ConsentState(String status, String billingPractitioner, String method, Instant obtainedAt,
                        String obtainedBy, String documentRef, Instant revokedAt, Instant effectiveUntil,
                        String endedBy) {
    }

    /** The care-plan version in force. */
    record CarePlanState(int version, Instant revisedAt, String revisedBy, boolean substantialRevision,
                         Instant sharedWithPatientAt) {
    }

    /** The state as of the instant. */
    // one name per schema in the OpenAPI document: another class is called History too
    @io.swagger.v3.oas.annotations.media.Schema(name = "PatientHistoryView")
    record History(String practiceId, String patientId, Instant asOf, Instant enrolledAt,
                   String billingPractitioner, String timeZone, boolean qualifiedMedicareBeneficiary,
                   List<ChronicCondition> conditions, String consentStatus, List<ConsentState> consents,
                   CarePlanState carePlan, LocalDate dateOfDeath, Instant disenrolledAt, int eventsApplied,
                   long lastGlobalIndex, List<PatientMonthView> months) {
    }

    private final LedgerLookup lookup;
    private final StoredEventPayloads payloads;
    private final QueryGateway queries;

    PatientHistory(LedgerLookup lookup, StoredEventPayloads payloads, QueryGateway queries) {
        this.lookup = lookup;
        this.payloads = payloads;
        this.queries = queries;
    }

    History asOf(EnrollmentId id, Instant asOf) {
        List<StoredEvent> enrollment = lookup.stream(id.toString(), asOf);
        if (enrollment.isEmpty()) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "the ledger knew no such patient in this practice then");
        }
        PatientEnrolled enrolled = null;
        Instant enrolledAt = null;
        String practitioner = null;
        ConsentPeriods<String> consentPeriods = ConsentPeriods.none();
        // months of every interval ever logged or corrected: a month billed and then emptied by a void still shows
        List<Object[]> everLogged = new ArrayList<>();
        LocalDate death = null;
        Instant disenrolled = null;
        long lastIndex = 0;
        for (StoredEvent stored : enrollment) {
            Object event = payloads.payload(stored);
            lastIndex = Math.max(lastIndex, stored.globalIndex());
            consentPeriods = consentPeriods.apply(event, stored.eventIdentifier());
            if (event instanceof PatientEnrolled e) {
                enrolled = e;
                enrolledAt = stored.recordedAt();
                practitioner = e.billingPractitioner().value();
            } else if (event instanceof BillingPractitionerChanged e) {
                practitioner = e.billingPractitioner().value();
            } else if (event instanceof CareMinutesLogged e) {
                everLogged.add(new Object[] {e.startedAt(), e.minutes()});
            } else if (event instanceof CareMinutesCorrected e) {
                everLogged.add(new Object[] {e.startedAt(), e.minutes()});
            } else if (event instanceof PatientDied e) {
                death = e.dateOfDeath();
            } else if (event instanceof PatientDisenrolled e) {
                disenrolled = e.effectiveAt();
            }
        }
        CarePlanState plan = null;
        int applied = enrollment.size();
        for (StoredEvent stored : lookup.stream(new CarePlanId(id).toString(), asOf)) {
            applied++;
            lastIndex = Math.max(lastIndex, stored.globalIndex());
            if (payloads.payload(stored) instanceof CarePlanRevised r) {
                plan = new CarePlanState(r.version(), r.revisedAt(), r.revisedBy(), r.substantialRevision(),
                                         r.sharedWithPatientAt());
            }
        }
        ZoneId zone = enrolled.timeZone();
        TreeSet<YearMonth> months = new TreeSet<>();
        for (Object[] entry : everLogged) {
            Instant start = (Instant) entry[0];
            months.add(YearMonth.from(start.atZone(zone)));
            months.add(YearMonth.from(start.plusSeconds(60L * ((int) entry[1]) - 1).atZone(zone)));
        }
        List<PatientMonthView> billing = new ArrayList<>();
        for (YearMonth month : months) {
            billing.add(queries.query(new FindBillingMonth(id, month, asOf), PatientMonthView.class).join());
        }
        List<ConsentState> consents = consentPeriods.decisions().stream().map(PatientHistory::state).toList();
        String current = practitioner;
        String consentStatus = consents.stream().filter(c -> c.billingPractitioner().equals(current))
                                       .reduce((a, b) -> b)
                                       .map(c -> "REVOKED".equals(c.status()) && c.effectiveUntil() != null
                                                 && c.effectiveUntil().isAfter(asOf)
                                               ? "IN_FORCE_UNTIL_REVOCATION_TAKES_EFFECT" : c.status())
                                       .orElse("NONE");
        return new History(id.practiceId().value(), id.patientId().value(), asOf, enrolledAt, practitioner,
                           zone.getId(), enrolled.qualifiedMedicareBeneficiary(), enrolled.chronicConditions(),
                           consentStatus, consents, plan, death, disenrolled, applied, lastIndex, billing);
    }

    /** A decision as the history shows it: its status now, and what ended it. */
    private static ConsentState state(ConsentPeriod<String> c) {
        String ended = c.end() == null ? null : c.end().kind() == ConsentEnd.Kind.REVOKED ? "REVOKED"
                : "PRACTITIONER_CHANGED";
        String status = c.accepted() ? ended == null ? "IN_FORCE" : ended : "DECLINED";
        return new ConsentState(status, c.practitioner().value(), c.method().name(), c.obtainedAt(), c.obtainedBy(),
                                c.documentRef(), c.end() == null ? null : c.end().revokedAt(), c.until(), ended);
    }
}
