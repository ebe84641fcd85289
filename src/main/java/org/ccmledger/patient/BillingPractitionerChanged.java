package org.ccmledger.patient;

import java.time.Instant;

import org.axonframework.serialization.Revision;

/**
 * The patient's billing practitioner changed at {@code effectiveAt}. Care time from then on needs the patient's
 * consent for the new practitioner (R8); a month is billed under one practitioner only (R6).
 */
@Revision("1")
public record BillingPractitionerChanged(EnrollmentId enrollmentId, Npi previous, Npi billingPractitioner,
                                         Instant effectiveAt) implements PatientEvent {
}
