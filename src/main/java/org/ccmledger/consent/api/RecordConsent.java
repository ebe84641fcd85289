package org.ccmledger.consent.api;

import java.time.Instant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.Npi;

/** Records the patient's answer to the CCM consent conversation for a billing practitioner (R8). */
public record RecordConsent(@TargetAggregateIdentifier EnrollmentId enrollmentId, ConsentMethod method,
                            ConsentDecision decision, Instant obtainedAt, String obtainedBy,
                            Npi billingPractitioner, String documentRef, Disclosures disclosures) {
}
