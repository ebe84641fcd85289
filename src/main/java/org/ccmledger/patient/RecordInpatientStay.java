package org.ccmledger.patient;

import java.time.LocalDate;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records a hospital or SNF inpatient stay; its days do not count toward CCM (R4). */
public record RecordInpatientStay(@TargetAggregateIdentifier EnrollmentId enrollmentId, LocalDate admittedOn,
                                  LocalDate dischargedOn) {
}
