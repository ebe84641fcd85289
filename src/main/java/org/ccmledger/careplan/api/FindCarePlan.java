package org.ccmledger.careplan.api;

import org.ccmledger.patient.EnrollmentId;

/** Asks for the version of a patient's care plan in force (R10). */
public record FindCarePlan(EnrollmentId enrollmentId) {
}
