package org.ccmledger.billing.api;

import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/**
 * The rows of some patients of a practice's month (answered as a {@code List<BillingViews.PatientRow>} in patient id
 * order), each evaluated as the practice month evaluates it: what the console's practice month shows a page or a
 * batch at a time, so that a large practice's first rows do not wait for every patient's evaluation.
 */
public record FindPracticeMonthRows(PracticeId practiceId, YearMonth month, List<String> patientIds) {

    public FindPracticeMonthRows {
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(month, "month");
        patientIds = List.copyOf(patientIds);
    }
}
