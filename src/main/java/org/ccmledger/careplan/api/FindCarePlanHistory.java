package org.ccmledger.careplan.api;

import org.ccmledger.patient.EnrollmentId;

/** Asks for every version of a patient's care plan, oldest first, each with what changed since the one before (R10). */
public record FindCarePlanHistory(EnrollmentId enrollmentId) {
}
