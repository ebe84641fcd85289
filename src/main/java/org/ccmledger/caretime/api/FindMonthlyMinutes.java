package org.ccmledger.caretime.api;

import java.time.YearMonth;

import org.ccmledger.patient.EnrollmentId;

/** Asks for a patient's logged minutes in one calendar month of the billing location (P3). */
public record FindMonthlyMinutes(EnrollmentId enrollmentId, YearMonth month) {
}
