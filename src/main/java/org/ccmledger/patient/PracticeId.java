package org.ccmledger.patient;

import org.ccmledger.platform.ids.IdFormat;
import org.ccmledger.platform.problem.Refusal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A practice's identifier: 1–64 letters, digits, dot, dash or underscore. */
public record PracticeId(@JsonValue String value) {

    public PracticeId {
        if (!IdFormat.isId(value)) {
            throw Refusal.malformed("INVALID_PRACTICE_ID", "practiceId must be 1-64 letters, digits, '.', '-' or '_'");
        }
    }

    @JsonCreator
    static PracticeId fromJson(String value) {
        return new PracticeId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
