package org.ccmledger.caretime.api;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** The part of a time entry that falls in one calendar month of the billing location's zone (P3). */
public record MonthShare(YearMonth month, int minutes) {

    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    /**
     * Each clock minute belongs to the month of the local date it starts on; an entry across month end is split.
     * Worked out month by month, not minute by minute: the minutes of a month are those that start before the first
     * instant of the next month's first day in the zone (its midnight, or the first local time after a gap at
     * midnight), so an entry of any length costs a zone lookup or two, not one a minute (billing works out the months
     * a patient's entries touch whenever the patient's record changes).
     */
    public static List<MonthShare> split(Instant startedAt, int minutes, ZoneId zone) {
        List<MonthShare> shares = new ArrayList<>(1);
        int counted = 0;
        while (counted < minutes) {
            Instant start = startedAt.plusSeconds(60L * counted);
            YearMonth month = YearMonth.from(start.atZone(zone));
            Instant nextMonth = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
            // minutes k = 0, 1, … from start with start + k minutes < nextMonth
            long before = Math.floorDiv(Duration.between(start, nextMonth).toNanos() + MINUTE_NANOS - 1, MINUTE_NANOS);
            int inMonth = (int) Math.max(1, Math.min(minutes - counted, before));
            shares.add(new MonthShare(month, inMonth));
            counted += inMonth;
        }
        return shares;
    }
}
