package org.ccmledger.caretime.api;

import org.axonframework.serialization.Revision;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEvent;

/** A logged entry no longer counts; it stays in the ledger with the reason (P4). */
@Revision("1")
public record CareMinutesVoided(EnrollmentId enrollmentId, TimeEntryId entryId, String reason) implements PatientEvent {
}
