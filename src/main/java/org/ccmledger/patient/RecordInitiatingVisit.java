package org.ccmledger.patient;

import java.time.LocalDate;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records the CCM initiating visit (R9), with or without G0506 comprehensive care planning; {@code baseCode} is the
 * visit's own code (E/M 99202–99215, AWV G0438/G0439, IPPE G0402, TCM 99495/99496), which G0506 rides on.
 */
public record RecordInitiatingVisit(@TargetAggregateIdentifier EnrollmentId enrollmentId, LocalDate visitDate,
                                    VisitType visitType, Integer emLevel, Npi practitioner,
                                    boolean comprehensiveCarePlanning, String baseCode) {

    /** A visit recorded without its base code. */
    public RecordInitiatingVisit(EnrollmentId enrollmentId, LocalDate visitDate, VisitType visitType, Integer emLevel,
                                 Npi practitioner, boolean comprehensiveCarePlanning) {
        this(enrollmentId, visitDate, visitType, emLevel, practitioner, comprehensiveCarePlanning, null);
    }
}
