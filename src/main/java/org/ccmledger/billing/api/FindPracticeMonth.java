package org.ccmledger.billing.api;

import java.time.YearMonth;
import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/**
 * A practice's month as the billing endpoint answers it ({@link BillingViews.PracticeMonthView}: a row per patient,
 * totals by code and practitioner), for the console's practice month.
 */
public record FindPracticeMonth(PracticeId practiceId, YearMonth month) {

    public FindPracticeMonth {
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(month, "month");
    }
}
