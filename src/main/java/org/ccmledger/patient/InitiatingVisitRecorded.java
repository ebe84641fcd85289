package org.ccmledger.patient;

import java.time.LocalDate;

import org.axonframework.serialization.Revision;

/** The CCM initiating visit took place (R9); {@code comprehensiveCarePlanning}: G0506 goes on its claim. */
@Revision("1")
public record InitiatingVisitRecorded(EnrollmentId enrollmentId, LocalDate visitDate, VisitType visitType,
                                      Integer emLevel, Npi practitioner, boolean comprehensiveCarePlanning)
        implements PatientEvent {
}
