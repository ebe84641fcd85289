package org.ccmledger.patient;

import java.time.LocalDate;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records the patient's date of death: no care time counts after it (ccm-rules edge case 7). */
public record RecordDeath(@TargetAggregateIdentifier EnrollmentId enrollmentId, LocalDate dateOfDeath) {
}
