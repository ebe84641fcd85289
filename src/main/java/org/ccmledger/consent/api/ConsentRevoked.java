package org.ccmledger.consent.api;

import java.time.Instant;

import org.axonframework.serialization.Revision;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEvent;
import org.ccmledger.patient.Npi;

/**
 * The patient revoked consent at {@code revokedAt}; it stops counting at {@code effectiveAt}, the first instant of
 * the next calendar month in the billing location's zone (R8, P3).
 */
@Revision("1")
public record ConsentRevoked(EnrollmentId enrollmentId, Npi billingPractitioner, Instant revokedAt,
                             Instant effectiveAt, String reason) implements PatientEvent {
}
