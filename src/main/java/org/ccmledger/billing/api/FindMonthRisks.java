package org.ccmledger.billing.api;

import java.time.YearMonth;
import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/**
 * The OIG risks of a practice's month as the ledger stands now (answered as a {@code List<MonthRisk>} by the audit
 * feature's risk scan): what a month close and the practice month show beside the billing, without blocking it.
 */
public record FindMonthRisks(PracticeId practiceId, YearMonth month) {

    public FindMonthRisks {
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(month, "month");
    }

    /** One finding, and how many review decisions it has. */
    public record MonthRisk(String patientId, String risk, String rule, String detail, int reviews) {
    }
}
