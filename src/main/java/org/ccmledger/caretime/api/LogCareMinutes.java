package org.ccmledger.caretime.api;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.ccmledger.enrollment.api.EnrollmentId;

/** Logs minutes of non-face-to-face care time for an enrolled patient. */
public record LogCareMinutes(@TargetAggregateIdentifier EnrollmentId enrollmentId, TimeEntryId entryId,
                             Performer performer, Instant startedAt, int minutes, CareActivity activity,
                             String note) {
}
