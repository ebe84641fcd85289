package org.ccmledger.patient;

import java.util.regex.Pattern;

import org.ccmledger.platform.problem.Refusal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A practice's identifier: 1–64 letters, digits, dot, dash or underscore. */
public record PracticeId(@JsonValue String value) {

    static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public PracticeId {
        if (value == null || !FORMAT.matcher(value).matches()) {
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
