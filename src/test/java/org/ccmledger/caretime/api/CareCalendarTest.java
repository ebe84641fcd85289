package org.ccmledger.caretime.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CareCalendarTest {

    @Test
    @DisplayName("P3, R1, R4, edge case 7: minutes judged together count exactly as each judged alone, across midnights, "
                 + "month ends and every zone's offset changes")
    void countsEachAnswersAsCountsDoesForEveryMinute() {
        Random random = new Random(20261203);
        List<ZoneId> zones = new ArrayList<>(ZoneId.getAvailableZoneIds().stream().sorted().map(ZoneId::of).toList());
        zones.add(ZoneOffset.ofHours(-5));
        zones.add(ZoneOffset.ofHoursMinutes(5, 45));
        long from = Instant.parse("1995-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2040-01-01T00:00:00Z").getEpochSecond();
        int minutesCompared = 0;
        int atTransitions = 0;
        for (int i = 0; i < 6_000; i++) {
            ZoneId zone = zones.get(random.nextInt(zones.size()));
            Instant start = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)));
            ZoneOffsetTransition transition = zone.getRules().nextTransition(start);
            if (random.nextBoolean() && transition != null) {
                // begin shortly before the zone's next change of offset, so that entries run across it
                start = transition.getInstant().minusSeconds(60L * random.nextInt(600));
                atTransitions++;
            } else if (random.nextInt(3) == 0) {
                // begin shortly before a local midnight at the end of a month
                LocalDate monthEnd = YearMonth.from(start.atZone(zone)).atEndOfMonth();
                start = monthEnd.plusDays(1).atStartOfDay(zone).toInstant().minusSeconds(60L * random.nextInt(300));
            }
            long firstMinute = Math.floorDiv(start.getEpochSecond(), 60);
            int count = random.nextInt(1_500);
            LocalDate startDay = start.atZone(zone).toLocalDate();
            YearMonth month = YearMonth.from(startDay).plusMonths(random.nextInt(3) - 1);
            CareCalendar<String> calendar = new CareCalendar<>(
                    zone,
                    random.nextBoolean() ? List.of()
                            : List.of(new InpatientStay<>(startDay.plusDays(random.nextInt(3) - 1),
                                                          startDay.plusDays(random.nextInt(3)), "stay")),
                    random.nextInt(4) == 0 ? startDay.plusDays(random.nextInt(2)) : null, null,
                    random.nextInt(4) == 0 ? start.plusSeconds(random.nextInt(90_000)) : null, null);

            boolean[] each = calendar.countsEach(firstMinute, count, month);

            assertThat(each).hasSize(count);
            for (int m = 0; m < count; m++) {
                Instant minute = Instant.ofEpochSecond((firstMinute + m) * 60);
                assertThat(each[m]).as("%s at %s toward %s", zone, minute, month)
                                   .isEqualTo(calendar.counts(minute, month));
            }
            minutesCompared += count;
        }
        assertThat(minutesCompared).isGreaterThan(3_000_000);
        assertThat(atTransitions).isGreaterThan(1_000);
    }
}
