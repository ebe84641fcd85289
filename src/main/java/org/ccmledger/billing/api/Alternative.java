package org.ccmledger.billing.api;

import java.util.List;

/**
 * A family that was not billed for the patient-month, with the lines it would have billed (empty when it did not
 * qualify) and every reason, each naming its rule (P1, R2, R6 …).
 */
public record Alternative(CcmFamily family, String billingPractitioner, List<StatementLine> lines,
                          List<Reason> reasons) {

    public Alternative {
        lines = List.copyOf(lines);
        reasons = List.copyOf(reasons);
    }

    public Total total() {
        return StatementLine.total(lines);
    }
}
