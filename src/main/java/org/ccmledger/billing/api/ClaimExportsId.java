package org.ccmledger.billing.api;

import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/**
 * The identity of a practice's export ledger, and so of its aggregate and stream: {@code practice:<practiceId>:claims}.
 * It numbers the practice's interchanges and remembers which claim versions went out and the payer's claim numbers.
 */
public record ClaimExportsId(PracticeId practiceId) {

    public ClaimExportsId {
        Objects.requireNonNull(practiceId, "practiceId");
    }

    @Override
    public String toString() {
        return "practice:" + practiceId.value() + ":claims";
    }
}
