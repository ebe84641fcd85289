package org.ccmledger.audit.api;

import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/** The stream of a practice's break-glass review decisions: {@code practice:<id>:break-glass-reviews}. */
public record BreakGlassReviewsId(PracticeId practiceId) {

    public BreakGlassReviewsId {
        Objects.requireNonNull(practiceId, "practiceId");
    }

    @Override
    public String toString() {
        return "practice:" + practiceId.value() + ":break-glass-reviews";
    }
}
