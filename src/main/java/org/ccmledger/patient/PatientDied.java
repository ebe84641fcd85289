package org.ccmledger.patient;

import java.time.LocalDate;

import org.axonframework.serialization.Revision;

/** The patient died on {@code dateOfDeath} (a date in the billing location's zone). */
@Revision("1")
public record PatientDied(EnrollmentId enrollmentId, LocalDate dateOfDeath) implements PatientEvent {
}
