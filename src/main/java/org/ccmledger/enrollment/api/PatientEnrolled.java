package org.ccmledger.enrollment.api;

import java.time.ZoneId;
import java.util.List;

import org.axonframework.serialization.Revision;

/**
 * A patient was enrolled in CCM: the billing practitioner, the billing location's time zone (P3: it defines the
 * calendar month), the attested chronic conditions (R7) and QMB status (R14).
 */
@Revision("1")
public record PatientEnrolled(EnrollmentId enrollmentId, Npi billingPractitioner, ZoneId timeZone,
                              List<ChronicCondition> chronicConditions, boolean qualifiedMedicareBeneficiary) {
}
