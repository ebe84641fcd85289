package org.ccmledger.billing.api;

import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/**
 * The OIG risks of some patients of a practice's month as the ledger stands now (answered by the audit feature's risk
 * scan as a {@code List<FindMonthRisks.MonthRisk>}, in patient id order): each patient's own risks and the same
 * beneficiary billed elsewhere, for a page of the console's practice month. One clinician's time overlapping across
 * patients needs every patient of the month and is left to {@link FindMonthRisks}.
 */
public record FindPatientMonthRisks(PracticeId practiceId, YearMonth month, List<String> patientIds) {

    public FindPatientMonthRisks {
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(month, "month");
        patientIds = List.copyOf(patientIds);
    }
}
