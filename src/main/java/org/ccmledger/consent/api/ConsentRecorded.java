package org.ccmledger.consent.api;

import java.time.Instant;

import org.axonframework.serialization.Revision;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEvent;
import org.ccmledger.patient.Npi;

/** The patient consented to CCM by this billing practitioner, from {@code obtainedAt} on (R8). */
@Revision("1")
public record ConsentRecorded(EnrollmentId enrollmentId, ConsentMethod method, Instant obtainedAt,
                              String obtainedBy, Npi billingPractitioner, String documentRef,
                              Disclosures disclosures) implements PatientEvent {
}
