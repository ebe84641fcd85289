package org.ccmledger.patient;

import java.time.Instant;

import org.axonframework.serialization.Revision;

/** The patient's CCM enrollment ended at {@code effectiveAt}; no care time counts from then on. */
@Revision("1")
public record PatientDisenrolled(EnrollmentId enrollmentId, Instant effectiveAt, String reason)
        implements PatientEvent {
}
