package org.ccmledger.patient;

import java.time.YearMonth;

import org.axonframework.serialization.Revision;

/** Another service ({@code code}, of {@code kind}) was billed for the patient in {@code month}. */
@Revision("1")
public record ConcurrentServiceRecorded(EnrollmentId enrollmentId, String code, ConcurrentServiceKind kind,
                                        YearMonth month, Npi practitioner) implements PatientEvent {
}
