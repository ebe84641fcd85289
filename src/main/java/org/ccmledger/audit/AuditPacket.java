package org.ccmledger.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.BillingViews.PatientMonthView;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.consent.api.ConsentEnd;
import org.ccmledger.consent.api.ConsentPeriod;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.patient.ChronicCondition;

/**
 * What an auditor from a MAC, RAC or UPIC asks for about one patient-month (ccm-rules.md section 5), assembled from
 * the ledger: enrollment and conditions, consent evidence with its disclosures, the care plan in force and its
 * history, initiating visits, every time entry touching the month with its corrections and voids, the statement with
 * its rule trace and adjustments, the month as evaluated now, and the hash-chain verification of the streams cited.
 */
record AuditPacket(String practiceId, String patientId, String month, Instant generatedAt, Enrollment enrollment,
                   List<ConsentEvidence> consents, CarePlanRevised carePlanInForce,
                   List<CarePlanVersionLine> carePlanHistory, List<Visit> initiatingVisits,
                   List<ClinicalFact> clinicalFacts, List<TimeEntry> timeEntries, BillingStatementIssued statement,
                   List<BillingAdjustmentIssued> adjustments, PatientMonthView billingNow, Integrity integrity) {

    record Enrollment(Instant enrolledAt, String billingPractitioner, String timeZone,
                      boolean qualifiedMedicareBeneficiary, Boolean initiatingVisitRequired,
                      List<ChronicCondition> conditions, List<PractitionerChange> practitionerChanges,
                      LocalDate dateOfDeath, Instant disenrolledAt) {
    }

    record PractitionerChange(String from, String to, Instant effectiveAt) {
    }

    /** A consent decision as recorded (R8), with the four disclosures and how it ended. */
    record ConsentEvidence(String decision, String method, Instant obtainedAt, String obtainedBy,
                           String billingPractitioner, String documentRef, boolean availabilityDisclosed,
                           boolean costSharingDisclosed, boolean onePractitionerPerMonthDisclosed,
                           boolean rightToStopDisclosed, Instant revokedAt, Instant effectiveUntil, String endedBy,
                           String eventId) {

        /** A decision of the consent fold ({@link ConsentPeriods}), whose sources are event ids. */
        static ConsentEvidence of(ConsentPeriod<String> c) {
            ConsentEnd<String> end = c.end();
            String endedBy = end == null ? null
                    : end.kind() == ConsentEnd.Kind.REVOKED ? "REVOKED: " + end.reason() : "PRACTITIONER_CHANGED";
            return new ConsentEvidence(c.decision().name(), c.method().name(), c.obtainedAt(), c.obtainedBy(),
                                       c.practitioner().value(), c.documentRef(), c.disclosures().availability(),
                                       c.disclosures().costSharing(), c.disclosures().onePractitionerPerMonth(),
                                       c.disclosures().rightToStop(), end == null ? null : end.revokedAt(),
                                       c.until(), endedBy, c.source());
        }
    }

    record CarePlanVersionLine(int version, Instant revisedAt, String revisedBy, boolean substantialRevision,
                               Instant sharedWithPatientAt, String eventId) {
    }

    /**
     * Another fact billing decided with, for the month: a complexity attestation (P1, R7), an inpatient stay (R4) or
     * a service billed next to CCM (exclusion matrix).
     */
    record ClinicalFact(String kind, String detail, String eventId) {
    }

    record Visit(LocalDate visitDate, String visitType, Integer emLevel, String practitioner,
                 boolean comprehensiveCarePlanning, String eventId) {
    }

    /** A change to a time entry: a correction (with the values before and after) or a void, with reason and actor. */
    record Change(String kind, Instant recordedAt, String actor, String reason, Instant previousStartedAt,
                  Integer previousMinutes, Instant startedAt, Integer minutes, String eventId) {
    }

    /** A time entry as logged, its status now (LIVE, CORRECTED, VOIDED) and every change to it. */
    record TimeEntry(String entryId, String performerId, String role, String activity, Instant startedAt,
                     int minutes, String status, Instant loggedAt, String loggedBy, List<Change> changes,
                     String eventId) {
    }

    /**
     * The hash-chain verification of the streams the packet cites, and the check of the evidence the statement and
     * adjustments cite: each counted event's hash as recorded then against the ledger's now.
     */
    record Integrity(boolean intact, List<StreamCheck> streams) {
    }

    record StreamCheck(String stream, long eventsChecked, boolean intact, String firstBreak) {
    }
}
