package org.ccmledger.billing;

import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.ccmledger.billing.api.FindMonthRisks;
import org.ccmledger.billing.statement.BillingService;

/**
 * What closing a month did: each patient's outcome (a statement issued, or what blocks it) and the OIG risks of the
 * patients whose statements it issued, as the month's whole scan finds them after the close (so risks across patients
 * count). A close that issues nothing answers no risks and scans nothing; the month's risks at any time are
 * {@code GET …/audit/risks/{month}}.
 */
record MonthCloseResult(String practiceId, YearMonth month, List<BillingService.CloseOutcome> patients,
                        List<FindMonthRisks.MonthRisk> risks) {

    /** The patients whose statements the close issued: whose risks it answers. */
    static Set<String> issued(List<BillingService.CloseOutcome> closed) {
        return closed.stream().filter(o -> "ISSUED".equals(o.status())).map(BillingService.CloseOutcome::patientId)
                     .collect(Collectors.toSet());
    }

    /** The close's answer with the month's scan kept to the patients it issued statements for. */
    static MonthCloseResult of(String practiceId, YearMonth month, List<BillingService.CloseOutcome> closed,
                               List<FindMonthRisks.MonthRisk> monthRisks) {
        Set<String> issued = issued(closed);
        return new MonthCloseResult(practiceId, month, closed,
                                    monthRisks.stream().filter(r -> issued.contains(r.patientId())).toList());
    }
}
