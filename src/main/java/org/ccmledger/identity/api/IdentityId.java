package org.ccmledger.identity.api;

import java.util.Objects;

import org.ccmledger.patient.EnrollmentId;

/** The identity of a patient's identity record and its stream: {@code <practiceId>/<patientId>/identity}. */
public record IdentityId(EnrollmentId enrollmentId) {

    public IdentityId {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
    }

    @Override
    public String toString() {
        return enrollmentId + "/identity";
    }
}
