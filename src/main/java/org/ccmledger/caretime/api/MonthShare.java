package org.ccmledger.caretime.api;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The part of a time entry that falls in one calendar month of the billing location's zone (P3). */
public record MonthShare(YearMonth month, int minutes) {

    /** Each clock minute belongs to the month of the local date it starts on; an entry across month end is split. */
    public static List<MonthShare> split(Instant startedAt, int minutes, ZoneId zone) {
        Map<YearMonth, Integer> byMonth = new TreeMap<>();
        for (int minute = 0; minute < minutes; minute++) {
            byMonth.merge(YearMonth.from(startedAt.plusSeconds(60L * minute).atZone(zone)), 1, Integer::sum);
        }
        List<MonthShare> shares = new ArrayList<>();
        byMonth.forEach((month, count) -> shares.add(new MonthShare(month, count)));
        return shares;
    }
}
