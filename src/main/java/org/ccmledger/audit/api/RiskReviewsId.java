package org.ccmledger.audit.api;

import java.time.YearMonth;
import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/**
 * The review decisions on a practice's month of OIG risks, and so their aggregate and stream:
 * {@code practice:<practiceId>:risk-reviews:<yyyy-MM>}.
 */
public record RiskReviewsId(PracticeId practiceId, YearMonth month) {

    public RiskReviewsId {
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(month, "month");
    }

    @Override
    public String toString() {
        return "practice:" + practiceId.value() + ":risk-reviews:" + month;
    }
}
