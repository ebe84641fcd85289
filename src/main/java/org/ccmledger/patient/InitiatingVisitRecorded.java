package org.ccmledger.patient;

import java.time.LocalDate;

import org.axonframework.serialization.Revision;

/**
 * The CCM initiating visit took place (R9); {@code comprehensiveCarePlanning}: G0506 goes on its claim, as an add-on
 * to {@code baseCode}, the visit's own code ({@code null} on visits recorded before base codes were).
 */
@Revision("1")
public record InitiatingVisitRecorded(EnrollmentId enrollmentId, LocalDate visitDate, VisitType visitType,
                                      Integer emLevel, Npi practitioner, boolean comprehensiveCarePlanning,
                                      String baseCode)
        implements PatientEvent {

    public InitiatingVisitRecorded(EnrollmentId enrollmentId, LocalDate visitDate, VisitType visitType,
                                   Integer emLevel, Npi practitioner, boolean comprehensiveCarePlanning) {
        this(enrollmentId, visitDate, visitType, emLevel, practitioner, comprehensiveCarePlanning, null);
    }
}
