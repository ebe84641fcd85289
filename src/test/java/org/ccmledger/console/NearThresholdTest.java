package org.ccmledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import org.ccmledger.billing.api.BillingMinutes;
import org.ccmledger.billing.api.BillingViews.PatientRow;
import org.ccmledger.billing.api.BillingViews.Status;
import org.ccmledger.billing.api.NextUnit;
import org.ccmledger.billing.api.Reason;
import org.junit.jupiter.api.Test;

/** The practice month's "near a threshold" filter (R2): what counts as near, and how many days a month has left. */
class NearThresholdTest {

    private static PatientRow row(Status status, NextUnit next, List<Reason> blockers) {
        return new PatientRow("pt-1", "1234567893", null, List.of(), "0.00", "0.00", status, blockers,
                              new BillingMinutes(16, 0, 16), next);
    }

    private static final NextUnit FOUR_TO_GO = new NextUnit("99490", 20, 16, 4);
    private static final List<Reason> BELOW_THRESHOLD = List.of(new Reason("R2", "T=16 below 20 minutes"));

    @Test
    void r2AnOpenMonthWithinFiveMinutesOfItsNextCodeWithDaysLeftIsNear() {
        assertThat(PracticeMonthController.near(row(Status.OPEN, FOUR_TO_GO, BELOW_THRESHOLD), 3)).isTrue();
        assertThat(PracticeMonthController.near(row(Status.OPEN, new NextUnit("99490", 20, 14, 6), BELOW_THRESHOLD),
                                                3)).isFalse();
    }

    @Test
    void closedEndedOrOtherwiseBlockedMonthsAreNotNear() {
        assertThat(PracticeMonthController.near(row(Status.CLOSED, FOUR_TO_GO, List.of()), 3)).isFalse();
        assertThat(PracticeMonthController.near(row(Status.OPEN, FOUR_TO_GO, BELOW_THRESHOLD), 0)).isFalse();
        assertThat(PracticeMonthController.near(row(Status.OPEN, FOUR_TO_GO,
                                                    List.of(new Reason("R8", "no consent in force"))), 3)).isFalse();
        assertThat(PracticeMonthController.near(row(Status.OPEN, null, List.of()), 3)).isFalse();
    }

    @Test
    void daysLeftCountTodayAndAreNoneForAPastMonth() {
        LocalDate today = LocalDate.parse("2026-12-02");
        assertThat(PracticeMonthController.daysLeft(YearMonth.of(2026, 12), today)).isEqualTo(30);
        assertThat(PracticeMonthController.daysLeft(YearMonth.of(2026, 11), today)).isZero();
        assertThat(PracticeMonthController.daysLeft(YearMonth.of(2027, 1), today)).isEqualTo(31);
        assertThat(PracticeMonthController.daysLeft(YearMonth.of(2026, 12), LocalDate.parse("2026-12-31")))
                .isEqualTo(1);
    }
}
