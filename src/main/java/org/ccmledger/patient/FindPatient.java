package org.ccmledger.enrollment.api;

/** Asks for a patient's current CCM state. */
public record FindPatient(EnrollmentId enrollmentId) {
}
