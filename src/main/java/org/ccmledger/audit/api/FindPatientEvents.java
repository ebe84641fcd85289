package org.ccmledger.audit.api;

import java.time.Instant;
import java.util.Objects;

import org.ccmledger.patient.EnrollmentId;

/**
 * A patient's events as the ledger knew them at {@code asOf} (recorded at or before it; {@code null}: now), in ledger
 * order, access records left out: what the console folds a patient's page from, as the timeline endpoint reads them.
 * Answered as a {@code List<RecordedPatientEvent>}.
 */
public record FindPatientEvents(EnrollmentId enrollmentId, Instant asOf) {

    public FindPatientEvents {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
    }

    /**
     * One event: its id, payload type's simple name, when the ledger recorded it, when what it records happened
     * (where the event says), who caused it, and the payload as its Java type.
     */
    public record RecordedPatientEvent(String eventId, String type, Instant recordedAt, Instant performedAt,
                                       String actor, Object payload) {
    }
}
