package org.ccmledger.patient;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A patient's current CCM state, as the read model knows it: conditions, billing practitioner, consent status,
 * the version of the care plan in force (null before one is established), death and disenrollment.
 *
 * @param consent {@code NONE}, {@code ACCEPTED}, {@code DECLINED} or {@code REVOKED}
 */
public record PatientView(String practiceId, String patientId, String billingPractitionerNpi, String timeZone,
                          boolean qualifiedMedicareBeneficiary, List<ChronicCondition> chronicConditions,
                          Consent consent, Integer carePlanVersion, LocalDate dateOfDeath,
                          Instant disenrolledAt) {

    /** The consent for the current billing practitioner. */
    public record Consent(String status, Instant obtainedAt, Instant effectiveUntil) {
    }
}
