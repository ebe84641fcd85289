package org.ccmledger.caretime.api;

import java.time.Instant;

import org.axonframework.serialization.Revision;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEvent;

/**
 * A logged entry now reads {@code startedAt} for {@code minutes}; the original stays in the ledger (P4). The
 * previous values are carried so the correction reads on its own.
 */
@Revision("1")
public record CareMinutesCorrected(EnrollmentId enrollmentId, TimeEntryId entryId, Instant previousStartedAt,
                                   int previousMinutes, Instant startedAt, int minutes, String reason)
        implements PatientEvent {
}
