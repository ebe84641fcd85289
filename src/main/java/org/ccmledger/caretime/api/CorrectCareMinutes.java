package org.ccmledger.caretime.api;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.ccmledger.patient.EnrollmentId;

/**
 * Corrects a logged entry's minutes or start (either may be null: unchanged), with a reason (P4), on behalf of
 * {@code requestedBy}: only the person who performed the care may correct its entry.
 */
public record CorrectCareMinutes(@TargetAggregateIdentifier EnrollmentId enrollmentId, TimeEntryId entryId,
                                 Integer minutes, Instant startedAt, String reason, String requestedBy) {
}
