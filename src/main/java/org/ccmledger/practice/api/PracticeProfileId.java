package org.ccmledger.practice.api;

import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/**
 * The identity of a practice's profile, and so of its aggregate and event stream: {@code practice:<practiceId>}. A
 * practice id holds no colon and a patient's stream is {@code <practiceId>/<patientId>}, so the two never meet.
 */
public record PracticeProfileId(PracticeId practiceId) {

    public PracticeProfileId {
        Objects.requireNonNull(practiceId, "practiceId");
    }

    @Override
    public String toString() {
        return "practice:" + practiceId.value();
    }
}
