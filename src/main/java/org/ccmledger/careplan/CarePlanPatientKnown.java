package org.ccmledger.careplan;

import org.ccmledger.patient.EnrollmentId;

/** Asks whether the care-plan read model has seen the patient's enrollment; answered with a {@link Boolean}. */
record CarePlanPatientKnown(EnrollmentId enrollmentId) {
}
