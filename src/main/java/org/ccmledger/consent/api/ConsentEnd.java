package org.ccmledger.consent.api;

import java.time.Instant;

import org.ccmledger.patient.Npi;

/**
 * How a consent in force ended (R8): the patient revoked it ({@code revokedAt}, with a reason; it stops covering care
 * time at the end of that calendar month), or the billing practitioner changed to {@code nextPractitioner}. Either
 * way {@code effectiveAt} is the first instant the consent no longer covers.
 *
 * @param <S> what the caller keeps of the event that ended it
 */
public record ConsentEnd<S>(Kind kind, Instant revokedAt, Instant effectiveAt, String reason, Npi nextPractitioner,
                            S source) {

    /** What ended the consent. */
    public enum Kind { REVOKED, PRACTITIONER_CHANGED }
}
