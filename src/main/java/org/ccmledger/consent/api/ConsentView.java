package org.ccmledger.consent.api;

import java.time.Instant;

import org.ccmledger.patient.Npi;

/**
 * One consent decision of a patient for a billing practitioner (R8): how and when it was obtained, by whom, the four
 * disclosures, and how it ended, if it did. {@code consentId} is stable (derived from the ledger, no patient data);
 * {@code effectiveUntil} is when the consent stops covering care time (the revocation's or the practitioner
 * change's effective instant), {@code null} while it is in force or for a declined one.
 */
public record ConsentView(String consentId, ConsentDecision decision, ConsentStatus status, ConsentMethod method,
                          Instant obtainedAt, String obtainedBy, Npi billingPractitionerNpi, String documentRef,
                          Disclosures disclosures, Instant effectiveUntil, Revocation revocation,
                          PractitionerChange practitionerChange) {

    /** The patient revoked this consent at {@code revokedAt}; it stops counting at {@code effectiveAt}. */
    public record Revocation(Instant revokedAt, Instant effectiveAt, String reason) {
    }

    /** The billing practitioner changed to {@code billingPractitionerNpi} at {@code effectiveAt}, ending it. */
    public record PractitionerChange(Instant effectiveAt, Npi billingPractitionerNpi) {
    }
}
