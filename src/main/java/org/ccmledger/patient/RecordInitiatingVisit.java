package org.ccmledger.patient;

import java.time.LocalDate;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records the CCM initiating visit (R9), with or without G0506 comprehensive care planning. */
public record RecordInitiatingVisit(@TargetAggregateIdentifier EnrollmentId enrollmentId, LocalDate visitDate,
                                    VisitType visitType, Integer emLevel, Npi practitioner,
                                    boolean comprehensiveCarePlanning) {
}
