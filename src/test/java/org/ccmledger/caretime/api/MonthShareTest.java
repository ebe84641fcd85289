package org.ccmledger.caretime.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * P3: each clock minute of an entry belongs to the month of the local date it starts on in the billing location's
 * zone. {@link MonthShare#split} works month by month; here it is held against the rule applied minute by minute, for
 * entries that start near a month's end, in zones whose midnight moves (daylight saving at midnight, half-hour and
 * 45-minute offsets, a zone that skipped a whole day), with start times that are not whole seconds.
 */
class MonthShareTest {

    private static final List<ZoneId> ZONES = List.of(
            ZoneId.of("UTC"), ZoneId.of("America/New_York"), ZoneId.of("America/Havana"),
            ZoneId.of("America/Santiago"), ZoneId.of("Asia/Beirut"), ZoneId.of("Australia/Lord_Howe"),
            ZoneId.of("Asia/Kathmandu"), ZoneId.of("Pacific/Apia"), ZoneId.of("Pacific/Honolulu"));

    @Property(tries = 2000)
    void P3_eachMinuteCountsInTheMonthOfTheLocalDateItStartsOn(@ForAll("nearMonthEnds") Instant startedAt,
                                                              @ForAll @IntRange(min = 1, max = 3000) int minutes,
                                                              @ForAll("zones") ZoneId zone) {
        assertThat(MonthShare.split(startedAt, minutes, zone)).isEqualTo(minuteByMinute(startedAt, minutes, zone));
    }

    @Property(tries = 200)
    void P3_aShortEntryInsideAMonthIsOneShare(@ForAll @IntRange(min = 1, max = 120) int minutes,
                                             @ForAll("zones") ZoneId zone) {
        Instant midMonth = YearMonth.of(2026, 9).atDay(15).atTime(10, 0).atZone(zone).toInstant();

        assertThat(MonthShare.split(midMonth, minutes, zone))
                .containsExactly(new MonthShare(YearMonth.of(2026, 9), minutes));
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZONES);
    }

    /** Instants within two days either side of a month's end between 2009 and 2030, to the nanosecond. */
    @Provide
    Arbitrary<Instant> nearMonthEnds() {
        return Arbitraries.integers().between(2009 * 12, 2030 * 12).flatMap(
                months -> Arbitraries.longs().between(-2L * 86_400_000_000_000L, 2L * 86_400_000_000_000L).map(
                        nanos -> YearMonth.of(months / 12, months % 12 + 1).atDay(1).atStartOfDay()
                                          .toInstant(java.time.ZoneOffset.UTC).plusNanos(nanos)));
    }

    private static List<MonthShare> minuteByMinute(Instant startedAt, int minutes, ZoneId zone) {
        Map<YearMonth, Integer> byMonth = new TreeMap<>();
        for (int minute = 0; minute < minutes; minute++) {
            byMonth.merge(YearMonth.from(startedAt.plusSeconds(60L * minute).atZone(zone)), 1, Integer::sum);
        }
        List<MonthShare> shares = new ArrayList<>();
        byMonth.forEach((month, count) -> shares.add(new MonthShare(month, count)));
        return shares;
    }
}
