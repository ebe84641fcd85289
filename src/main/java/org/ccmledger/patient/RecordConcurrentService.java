package org.ccmledger.patient;

import java.time.YearMonth;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records another service billed for the patient in a month, by which practitioner. */
public record RecordConcurrentService(@TargetAggregateIdentifier EnrollmentId enrollmentId, String code,
                                      YearMonth month, Npi practitioner) {
}
