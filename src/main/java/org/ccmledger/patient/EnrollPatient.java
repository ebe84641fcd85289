package org.ccmledger.patient;

import java.time.ZoneId;
import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Enrolls a patient of a practice in CCM. */
public record EnrollPatient(@TargetAggregateIdentifier EnrollmentId enrollmentId, Npi billingPractitioner,
                            ZoneId timeZone, List<ChronicCondition> chronicConditions,
                            boolean qualifiedMedicareBeneficiary, Boolean initiatingVisitRequired,
                            String billingLocation) {

    public EnrollPatient(EnrollmentId enrollmentId, Npi billingPractitioner, ZoneId timeZone,
                         List<ChronicCondition> chronicConditions, boolean qualifiedMedicareBeneficiary,
                         Boolean initiatingVisitRequired) {
        this(enrollmentId, billingPractitioner, timeZone, chronicConditions, qualifiedMedicareBeneficiary,
             initiatingVisitRequired, null);
    }

    public EnrollPatient(EnrollmentId enrollmentId, Npi billingPractitioner, ZoneId timeZone,
                         List<ChronicCondition> chronicConditions, boolean qualifiedMedicareBeneficiary) {
        this(enrollmentId, billingPractitioner, timeZone, chronicConditions, qualifiedMedicareBeneficiary, null);
    }
}
