package org.ccmledger.patient;

import java.time.LocalDate;

import org.axonframework.serialization.Revision;

/** The patient was an inpatient from {@code admittedOn} to {@code dischargedOn}; those days are excluded (R4). */
@Revision("1")
public record InpatientStayRecorded(EnrollmentId enrollmentId, LocalDate admittedOn, LocalDate dischargedOn)
        implements PatientEvent {
}
