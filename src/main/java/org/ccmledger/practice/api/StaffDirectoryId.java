package org.ccmledger.practice.api;

import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/**
 * The identity of a practice's staff directory, and so of its aggregate and stream: {@code practice:<practiceId>:staff}.
 */
public record StaffDirectoryId(PracticeId practiceId) {

    public StaffDirectoryId {
        Objects.requireNonNull(practiceId, "practiceId");
    }

    @Override
    public String toString() {
        return "practice:" + practiceId.value() + ":staff";
    }
}
