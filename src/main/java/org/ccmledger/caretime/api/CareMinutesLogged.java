package org.ccmledger.caretime.api;

import java.time.Instant;

import org.axonframework.serialization.Revision;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEvent;

/**
 * Care time was performed: {@code startedAt} is when it happened (performed time); when the ledger learned of it is
 * the message's recorded time.
 */
@Revision("1")
public record CareMinutesLogged(EnrollmentId enrollmentId, TimeEntryId entryId, Performer performer,
                                Instant startedAt, int minutes, CareActivity activity, String note)
        implements PatientEvent {
}
