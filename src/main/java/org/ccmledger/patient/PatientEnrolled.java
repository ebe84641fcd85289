package org.ccmledger.patient;

import java.time.ZoneId;
import java.util.List;

import org.axonframework.serialization.Revision;

/**
 * A patient was enrolled in CCM: the billing practitioner, the billing location's time zone (P3: it defines the
 * calendar month), the attested chronic conditions (R7), QMB status (R14), and the billing location when the practice
 * has several ({@code null}: the practice's own, whose place of service applies, R13).
 */
@Revision("1")
public record PatientEnrolled(EnrollmentId enrollmentId, Npi billingPractitioner, ZoneId timeZone,
                              List<ChronicCondition> chronicConditions, boolean qualifiedMedicareBeneficiary,
                              Boolean initiatingVisitRequired, String billingLocation) implements PatientEvent {

    public PatientEnrolled(EnrollmentId enrollmentId, Npi billingPractitioner, ZoneId timeZone,
                           List<ChronicCondition> chronicConditions, boolean qualifiedMedicareBeneficiary,
                           Boolean initiatingVisitRequired) {
        this(enrollmentId, billingPractitioner, timeZone, chronicConditions, qualifiedMedicareBeneficiary,
             initiatingVisitRequired, null);
    }

    /** An enrollment that does not say whether an initiating visit is needed: billing treats it as needed (R9). */
    public PatientEnrolled(EnrollmentId enrollmentId, Npi billingPractitioner, ZoneId timeZone,
                           List<ChronicCondition> chronicConditions, boolean qualifiedMedicareBeneficiary) {
        this(enrollmentId, billingPractitioner, timeZone, chronicConditions, qualifiedMedicareBeneficiary, null);
    }
}
