package org.ccmledger.identity.api;

import org.ccmledger.patient.EnrollmentId;

/** Patients' identities, opened for those who need them (exports); reading them is the caller's to log. */
public interface PatientIdentities {

    /** A patient's identity as recorded last, opened with the patient's key. */
    Lookup identity(EnrollmentId patient);

    /** What there is of a patient's identity. */
    record Lookup(Status status, int version, PatientIdentity identity) {
    }

    /** None recorded; recorded and readable; recorded but its key destroyed. */
    enum Status { NONE, PRESENT, ERASED }
}
