package org.ccmledger.patient;

import java.time.YearMonth;

import org.axonframework.serialization.Revision;

/** Moderate or high medical decision making was attested for the month (used by complex CCM, P1). */
@Revision("1")
public record ComplexityAttested(EnrollmentId enrollmentId, YearMonth month,
                                 MedicalDecisionMaking medicalDecisionMaking, String attestedBy)
        implements PatientEvent {
}
