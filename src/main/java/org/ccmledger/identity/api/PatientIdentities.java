package org.ccmledger.identity.api;

import org.ccmledger.patient.EnrollmentId;

/** Patients' identities, opened for those who need them (exports); reading them is the caller's to log. */
public interface PatientIdentities {

    /** A patient's identity as recorded last, opened with the patient's key. */
    Lookup identity(EnrollmentId patient);

    /**
     * The other enrollments, in this practice or another, whose identity as recorded last has the same MBI as this
     * patient's: matched by a keyed hash of the MBI ({@code beneficiary_index}), never by the MBI itself. Empty when
     * the patient has no readable identity.
     */
    java.util.List<EnrollmentId> sameBeneficiary(EnrollmentId patient);

    /**
     * Readies the identities of many patients to be looked up one by one soon after (a practice-wide scan): reads
     * them together instead of once each. Changes nothing that {@link #identity} answers.
     */
    default void prefetch(java.util.List<EnrollmentId> patients) {
    }

    /** What there is of a patient's identity. */
    record Lookup(Status status, int version, PatientIdentity identity) {
    }

    /** None recorded; recorded and readable; recorded but its key destroyed. */
    enum Status { NONE, PRESENT, ERASED }
}
