package org.ccmledger.caretime.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.ccmledger.patient.EnrollmentId;

/**
 * Voids a logged entry, with a reason (P4), on behalf of {@code requestedBy}: only the person who performed the care
 * may void its entry.
 */
public record VoidCareMinutes(@TargetAggregateIdentifier EnrollmentId enrollmentId, TimeEntryId entryId,
                              String reason, String requestedBy) {
}
