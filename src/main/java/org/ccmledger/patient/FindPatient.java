package org.ccmledger.patient;

/** Asks for a patient's current CCM state. */
public record FindPatient(EnrollmentId enrollmentId) {
}
