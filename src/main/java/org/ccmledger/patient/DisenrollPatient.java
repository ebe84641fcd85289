package org.ccmledger.patient;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Ends the patient's CCM enrollment from {@code effectiveAt}. */
public record DisenrollPatient(@TargetAggregateIdentifier EnrollmentId enrollmentId, Instant effectiveAt,
                               String reason) {
}
