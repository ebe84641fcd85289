package org.ccmledger.audit.api;

import java.time.Instant;

/**
 * One emergency (break-glass) read of a patient record: the access record's global index (the id its review names),
 * when it was asked for and recorded, who read what of which patient, their declared purpose, the reason they stated,
 * and its review ({@code null} until reviewed).
 */
public record BreakGlassRead(long accessIndex, Instant accessedAt, Instant recordedAt, String actor, String patientId,
                             String resource, String path, String purposeOfUse, String reason,
                             BreakGlassReview review) {

    /** The review of an emergency read: the decision, why, who reviewed it and when the ledger recorded it. */
    public record BreakGlassReview(BreakGlassDecision decision, String note, String reviewedBy, Instant reviewedAt) {
    }
}
