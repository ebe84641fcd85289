package org.ccmledger.consent.api;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.ccmledger.patient.EnrollmentId;

/** The patient stops CCM; R8: effective at the end of that calendar month. */
public record RevokeConsent(@TargetAggregateIdentifier EnrollmentId enrollmentId, Instant revokedAt,
                            String reason) {
}
