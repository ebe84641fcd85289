package org.ccmledger.billing.api;

/**
 * The next code or unit a patient-month can still earn by time (R2), and the minutes it needs: the closest of the
 * non-complex staff family (99490 ± 99439, counted time T) and the billing practitioner's (99491 ± 99437, their own
 * time P), from the year's thresholds and add-on caps. Complex CCM is left out: it also needs an attestation (P1).
 *
 * @param code        the code the next threshold earns (a base code, or one more unit of its add-on)
 * @param threshold   the minutes that earn it
 * @param minutes     the minutes counted for that family so far
 * @param minutesToGo how many more it needs ({@code threshold - minutes}, at least 1)
 */
public record NextUnit(String code, int threshold, int minutes, int minutesToGo) {
}
