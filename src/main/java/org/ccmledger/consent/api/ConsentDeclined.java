package org.ccmledger.consent.api;

import java.time.Instant;

import org.axonframework.serialization.Revision;
import org.ccmledger.enrollment.api.EnrollmentId;
import org.ccmledger.enrollment.api.Npi;

/** The patient was offered CCM with the required disclosures and declined (R8). */
@Revision("1")
public record ConsentDeclined(EnrollmentId enrollmentId, ConsentMethod method, Instant obtainedAt,
                              String obtainedBy, Npi billingPractitioner, String documentRef,
                              Disclosures disclosures) {
}
