package org.ccmledger.billing.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * A calendar month as an instant range in the billing location's zone (P3): from {@code start} (the first day's start)
 * to {@code end} (the next month's first day's start), each worked out once from the zone's rules.
 */
record MonthWindow(YearMonth month, ZoneId zone, Instant start, Instant end) {

    MonthWindow(YearMonth month, ZoneId zone) {
        this(month, zone, month.atDay(1).atStartOfDay(zone).toInstant(),
             month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
    }

    boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    /** Whether [from, until) meets the month; {@code until == null}: open-ended. */
    boolean overlaps(Instant from, Instant until) {
        return from.isBefore(end) && (until == null || until.isAfter(start));
    }

    boolean overlapsDays(LocalDate from, LocalDate to) {
        return !from.isAfter(month.atEndOfMonth()) && !to.isBefore(month.atDay(1));
    }
}
