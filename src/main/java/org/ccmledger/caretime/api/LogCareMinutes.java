package org.ccmledger.caretime.api;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.ccmledger.patient.EnrollmentId;

/**
 * Logs minutes of non-face-to-face care time for an enrolled patient, asked by {@code requester}, who must be the
 * performer ({@link CareTimeOwnership}).
 */
public record LogCareMinutes(@TargetAggregateIdentifier EnrollmentId enrollmentId, TimeEntryId entryId,
                             Performer performer, Instant startedAt, int minutes, CareActivity activity,
                             String note, CareTimeRequester requester) {

    /** The performer logging their own time in the role they performed it in. */
    public LogCareMinutes(EnrollmentId enrollmentId, TimeEntryId entryId, Performer performer, Instant startedAt,
                          int minutes, CareActivity activity, String note) {
        this(enrollmentId, entryId, performer, startedAt, minutes, activity, note,
             CareTimeRequester.themselves(performer));
    }
}
