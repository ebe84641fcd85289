package org.ccmledger.billing.api;

import java.time.YearMonth;
import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/**
 * A practice's month's totals by code and practitioner without its rows ({@link BillingViews.PracticeMonthTotals}),
 * the same totals as the API's practice month ({@code GET …/billing/{month}}), summed a batch of patients at a time.
 */
public record FindPracticeMonthTotals(PracticeId practiceId, YearMonth month) {

    public FindPracticeMonthTotals {
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(month, "month");
    }
}
