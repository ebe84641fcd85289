package org.ccmledger.consent.api;

import org.ccmledger.patient.EnrollmentId;

/** Asks for every consent decision of a patient, in the order the ledger recorded them (R8). */
public record FindConsents(EnrollmentId enrollmentId) {
}
