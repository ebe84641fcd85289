package org.ccmledger.patient;

/**
 * The identity of a patient's enrollment in a practice, and so of its aggregate: {@code <practiceId>/<patientId>}.
 * Patient ids are unique only within a practice.
 */
public record EnrollmentId(PracticeId practiceId, PatientId patientId) {

    public static EnrollmentId of(String practiceId, String patientId) {
        return new EnrollmentId(new PracticeId(practiceId), new PatientId(patientId));
    }

    @Override
    public String toString() {
        return practiceId.value() + "/" + patientId.value();
    }
}
