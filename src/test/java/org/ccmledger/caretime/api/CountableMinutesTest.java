package org.ccmledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;

import org.ccmledger.billing.CountableMinutes.Entry;
import org.ccmledger.billing.CountableMinutes.ExcludedDays;
import org.ccmledger.billing.CountableMinutes.Totals;
import org.ccmledger.caretime.api.PerformerRole;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CountableMinutesTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    private static Entry entry(String start, int minutes, PerformerRole role) {
        return new Entry(Instant.parse(start), minutes, role);
    }

    private static Totals october(List<Entry> entries) {
        return CountableMinutes.of(OCTOBER, NEW_YORK, entries, List.of(), null);
    }

    @Test
    @DisplayName("P2: two staff logging the same 20 minutes count 20 minutes once")
    void overlappingTimeCountsOnce() {
        Totals totals = october(List.of(entry("2026-10-05T13:00:00Z", 20, PerformerRole.CLINICAL_STAFF),
                                        entry("2026-10-05T13:10:00Z", 20, PerformerRole.OTHER_QHP)));

        assertThat(totals.counted()).isEqualTo(30);
    }

    @Test
    @DisplayName("R3: non-clinical time never counts; the practitioner's own time is also counted apart")
    void rolesCountAsR3Says() {
        Totals totals = october(List.of(entry("2026-10-05T13:00:00Z", 20, PerformerRole.CLINICAL_STAFF),
                                        entry("2026-10-06T13:00:00Z", 35, PerformerRole.BILLING_PRACTITIONER),
                                        entry("2026-10-07T13:00:00Z", 50, PerformerRole.NON_CLINICAL)));

        assertThat(totals).isEqualTo(new Totals(55, 35, 20));
    }

    @Test
    @DisplayName("R1/P3: only minutes of the month in the billing location's zone; an entry across month end is split")
    void monthsAreLocalAndNeverAdded() {
        // 31 Oct 23:50 in New York (EDT) for 25 minutes: 10 in October
        Totals totals = october(List.of(entry("2026-11-01T03:50:00Z", 25, PerformerRole.CLINICAL_STAFF),
                                        entry("2026-09-30T15:00:00Z", 30, PerformerRole.CLINICAL_STAFF)));

        assertThat(totals.counted()).isEqualTo(10);
    }

    @Test
    @DisplayName("R4 and edge case 7: inpatient days and time after the day of death do not count")
    void inpatientDaysAndTimeAfterDeathAreLeftOut() {
        List<Entry> entries = List.of(entry("2026-10-05T15:00:00Z", 20, PerformerRole.CLINICAL_STAFF),
                                      entry("2026-10-09T15:00:00Z", 30, PerformerRole.CLINICAL_STAFF),
                                      entry("2026-10-20T15:00:00Z", 40, PerformerRole.CLINICAL_STAFF));

        Totals totals = CountableMinutes.of(OCTOBER, NEW_YORK, entries,
                                            List.of(new ExcludedDays(LocalDate.parse("2026-10-04"),
                                                                     LocalDate.parse("2026-10-06"))),
                                            LocalDate.parse("2026-10-15"));

        assertThat(totals.counted()).isEqualTo(30);
    }
}
