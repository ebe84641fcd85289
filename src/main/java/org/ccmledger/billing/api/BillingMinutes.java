package org.ccmledger.billing.api;

/**
 * The countable minutes of a patient-month (P2: each clock minute once): {@code staff} by clinical staff and other
 * QHPs, {@code billingPractitioner} by the billing practitioner personally (P, for 99491), {@code counted} the union
 * of both (T, for the staff families, R3).
 */
public record BillingMinutes(int staff, int billingPractitioner, int counted) {
}
