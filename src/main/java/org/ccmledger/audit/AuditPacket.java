package org.ccmledger.audit;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.BillingViews.PatientMonthView;
import org.ccmledger.patient.ChronicCondition;

/**
 * What an auditor from a MAC, RAC, CERT or the OIG asks for about one patient-month (ccm-rules.md section 5),
 * assembled from the ledger: a summary, the beneficiary, the people who acted by name and credential, enrollment and
 * conditions, consent evidence with its disclosures and its date against the first counted minute, every care-plan
 * version with its nine elements, initiating visits, every time entry touching the month with when it was performed
 * and when it was recorded, its note, corrections and voids, the statement and adjustments with their lines, the month
 * as evaluated now with the differences, and the integrity proof. Every time is in the billing location's zone with
 * its offset.
 */
record AuditPacket(String practiceId, String patientId, String month, OffsetDateTime generatedAt, String timeZone,
                   Summary summary, Beneficiary beneficiary, Map<String, Person> people, Enrollment enrollment,
                   List<ConsentEvidence> consents, CarePlanVersion carePlanInForce,
                   List<CarePlanVersion> carePlanHistory, List<Visit> initiatingVisits,
                   List<ClinicalFact> clinicalFacts, int lateEntryDays, List<TimeEntry> timeEntries,
                   BillingStatementIssued statement, List<BillingAdjustmentIssued> adjustments,
                   PatientMonthView billingNow, List<Difference> differences, List<RiskFinding> risks,
                   Integrity integrity) {

    /** The same packet with the risks found in it. */
    AuditPacket withRisks(List<RiskFinding> found) {
        return new AuditPacket(practiceId, patientId, month, generatedAt, timeZone, summary, beneficiary, people,
                               enrollment, consents, carePlanInForce, carePlanHistory, initiatingVisits,
                               clinicalFacts, lateEntryDays, timeEntries, statement, adjustments, billingNow,
                               differences, List.copyOf(found), integrity);
    }

    /**
     * The first page: what the month bills (or would bill now), why, what blocks it, and what a reviewer should look
     * at first.
     */
    record Summary(String status, String family, List<String> codes, String amount, int minutesCounted,
                   List<String> why, List<String> blockers, List<String> flags) {
    }

    /**
     * Who the patient is, from the patient identity (read for this packet, which is access-logged): {@code status}
     * {@code RECORDED}, {@code NOT_RECORDED} or {@code ERASED} (crypto-shredded; the fields are then absent).
     */
    record Beneficiary(String status, String name, LocalDate birthDate, String sex, String mbi) {
    }

    /**
     * A person the packet names, by the id the ledger records (a user id, or an NPI for a practitioner): from the
     * practice's staff directory ({@code inDirectory}), else the profile's practitioner names; no name when neither
     * knows them.
     */
    record Person(String id, String name, String credential, String npi, boolean inDirectory) {
    }

    // one name per schema in the OpenAPI document: another class is called Enrollment too
    @io.swagger.v3.oas.annotations.media.Schema(name = "AuditPacketEnrollment")
    record Enrollment(OffsetDateTime enrolledAt, String billingPractitioner, String timeZone,
                      boolean qualifiedMedicareBeneficiary, Boolean initiatingVisitRequired,
                      List<ChronicCondition> conditions, List<PractitionerChange> practitionerChanges,
                      LocalDate dateOfDeath, OffsetDateTime disenrolledAt) {
    }

    // one name per schema in the OpenAPI document: another class is called PractitionerChange too
    @io.swagger.v3.oas.annotations.media.Schema(name = "AuditPacketPractitionerChange")
    record PractitionerChange(String from, String to, OffsetDateTime effectiveAt) {
    }

    /**
     * A consent decision as recorded (R8), with the four disclosures, how it ended, and its date against the month's
     * first counted minute ({@code obtainedBeforeFirstCountedMinute} null when the month has none).
     */
    record ConsentEvidence(String decision, String method, OffsetDateTime obtainedAt, String obtainedBy,
                           String billingPractitioner, String documentRef, boolean availabilityDisclosed,
                           boolean costSharingDisclosed, boolean onePractitionerPerMonthDisclosed,
                           boolean rightToStopDisclosed, OffsetDateTime revokedAt, OffsetDateTime effectiveUntil,
                           String endedBy, OffsetDateTime firstCountedMinuteAt,
                           Boolean obtainedBeforeFirstCountedMinute, String relativeToFirstCountedMinute,
                           String eventId) {
    }

    /** One version of the care plan with the nine elements R10 requires, and when it was shared with the patient. */
    // one name per schema in the OpenAPI document: another class is called CarePlanVersion too
    @io.swagger.v3.oas.annotations.media.Schema(name = "AuditPacketCarePlanVersion")
    record CarePlanVersion(int version, OffsetDateTime revisedAt, String revisedBy, boolean substantialRevision,
                           OffsetDateTime sharedWithPatientAt, List<String> problems, String expectedOutcome,
                           List<String> measurableGoals, String symptomManagement,
                           List<String> plannedInterventions, String medicationManagement,
                           List<String> communityResources, List<String> coordination, String reviewSchedule,
                           String eventId) {
    }

    /**
     * Another fact billing decided with, for the month: a complexity attestation (P1, R7), an inpatient stay (R4) or
     * a service billed next to CCM (exclusion matrix), with its code, its kind and the practitioner who billed it.
     */
    record ClinicalFact(String kind, String detail, String code, String serviceKind, String practitioner,
                        String eventId) {

        ClinicalFact(String kind, String detail, String eventId) {
            this(kind, detail, null, null, null, eventId);
        }
    }

    // one name per schema in the OpenAPI document: another class is called Visit too
    @io.swagger.v3.oas.annotations.media.Schema(name = "AuditPacketVisit")
    record Visit(LocalDate visitDate, String visitType, Integer emLevel, String practitioner,
                 boolean comprehensiveCarePlanning, String eventId) {
    }

    /** A change to a time entry: a correction (with the values before and after) or a void, with reason and actor. */
    record Change(String kind, OffsetDateTime recordedAt, String actor, String reason,
                  OffsetDateTime previousStartedAt, Integer previousMinutes, OffsetDateTime startedAt,
                  Integer minutes, String eventId) {
    }

    /**
     * A time entry as logged: when the care was performed and when it was recorded ({@code recordedDaysAfter} whole
     * days after the care ended; {@code late} beyond the practice's threshold), by whom, what was done (the note), its
     * status now (LIVE, CORRECTED, VOIDED) and every change to it. An entry brought in by an onboarding import also
     * has {@code originallyRecordedAt}, when the product the practice came from recorded it: its lateness is counted
     * from then, and {@code recordedAt} is when the ledger took it in.
     */
    // one name per schema in the OpenAPI document: another class is called TimeEntry too
    @io.swagger.v3.oas.annotations.media.Schema(name = "AuditPacketTimeEntry")
    record TimeEntry(String entryId, String performerId, String role, String activity, String note,
                     OffsetDateTime performedAt, int minutes, String status, OffsetDateTime recordedAt,
                     String recordedBy, long recordedDaysAfter, boolean late, List<Change> changes, String eventId,
                     OffsetDateTime originallyRecordedAt) {
    }

    /** Where the month as evaluated now differs from what the statement and adjustments billed. */
    // one name per schema in the OpenAPI document: another class is called Difference too
    @io.swagger.v3.oas.annotations.media.Schema(name = "AuditPacketDifference")
    record Difference(String field, String billed, String now) {
    }

    /**
     * The integrity proof: the hash-chain verification of the streams the packet cites (with each one's last hash),
     * the check of the evidence the statement and adjustments cite, the signed digest that seals the month's billing
     * (null while none does yet), and how to check all of it without this service.
     */
    record Integrity(boolean intact, List<StreamCheck> streams, SealingDigest sealedBy, List<String> howToCheck) {
    }

    record StreamCheck(String stream, long eventsChecked, boolean intact, String firstBreak, Long lastGlobalIndex,
                       String lastHash) {
    }

    /** The first digest whose sealed range holds every event of the streams cited. */
    record SealingDigest(long sequence, long sealedUpTo, String merkleRoot, String createdAt, String keyId) {
    }
}
