package org.ccmledger.patient;

import org.ccmledger.platform.ids.IdFormat;
import org.ccmledger.platform.problem.Refusal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A patient's identifier within a practice: 1–64 letters, digits, dot, dash or underscore. */
public record PatientId(@JsonValue String value) {

    public PatientId {
        if (!IdFormat.isId(value)) {
            throw Refusal.malformed("INVALID_PATIENT_ID", "patientId must be 1-64 letters, digits, '.', '-' or '_'");
        }
    }

    @JsonCreator
    static PatientId fromJson(String value) {
        return new PatientId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
