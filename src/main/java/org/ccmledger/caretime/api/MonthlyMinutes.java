package org.ccmledger.caretime.api;

import java.time.YearMonth;
import java.util.List;

/**
 * A patient's logged minutes in one calendar month (P3: the billing location's zone), counting only roles whose time
 * may count (R3), and the entries they came from.
 */
public record MonthlyMinutes(String practiceId, String patientId, YearMonth month, int minutes,
                             List<String> entryIds) {
}
