package org.ccmledger.consent.api;

import java.time.Instant;

import org.ccmledger.patient.Npi;

/**
 * The billing practitioner responsible for the patient from {@code from} on (R6), until the next period begins;
 * {@link Instant#EPOCH} for the practitioner the patient was enrolled with.
 *
 * @param <S> what the caller keeps of the event it came from
 */
public record PractitionerPeriod<S>(Npi npi, Instant from, S source) {
}
