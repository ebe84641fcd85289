package org.ccmledger.patient;

import java.time.YearMonth;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The billing practitioner attests moderate or high medical decision making for a month (P1). */
public record AttestComplexity(@TargetAggregateIdentifier EnrollmentId enrollmentId, YearMonth month,
                               MedicalDecisionMaking medicalDecisionMaking, String attestedBy) {
}
