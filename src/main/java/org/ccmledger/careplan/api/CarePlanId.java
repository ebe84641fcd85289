package org.ccmledger.careplan.api;

import java.util.Objects;

import org.ccmledger.patient.EnrollmentId;

/**
 * The identity of a patient's care plan, and so of its aggregate: {@code <practiceId>/<patientId>/care-plan}. The
 * suffix keeps its event stream apart from the enrollment's ({@code <practiceId>/<patientId>}).
 */
public record CarePlanId(EnrollmentId enrollmentId) {

    public CarePlanId {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
    }

    @Override
    public String toString() {
        return enrollmentId + "/care-plan";
    }
}
