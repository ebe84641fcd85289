package org.ccmledger.caretime.api;

import java.time.YearMonth;
import java.util.List;

/**
 * A patient's countable minutes in one calendar month, as billing counts them ({@link CountableMinutes}): T
 * ({@code counted}, also {@code minutes}), its clinical-staff part ({@code staff}) and the billing practitioner's own
 * time P ({@code billingPractitioner}), each clock minute once (P2), in the billing location's month (P3), with the
 * entries they came from. In a month with a practitioner change, the figures are those of the practitioner with the
 * most countable minutes (billing bills one practitioner, R6).
 */
public record MonthlyMinutes(String practiceId, String patientId, YearMonth month, int minutes,
                             List<String> entryIds, int counted, int staff, int billingPractitioner) {
}
