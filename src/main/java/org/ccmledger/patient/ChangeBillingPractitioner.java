package org.ccmledger.patient;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Moves the patient's CCM to another billing practitioner from {@code effectiveAt} (R6; new consent needed, R8). */
public record ChangeBillingPractitioner(@TargetAggregateIdentifier EnrollmentId enrollmentId, Npi billingPractitioner,
                                        Instant effectiveAt) {
}
