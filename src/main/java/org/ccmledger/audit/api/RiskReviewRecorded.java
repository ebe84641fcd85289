package org.ccmledger.audit.api;

import org.axonframework.serialization.Revision;

/**
 * A compliance officer's decision on an OIG risk finding of a patient-month; who and when are the event's actor and
 * recorded time. A later decision on the same finding stands beside, not over, the earlier one.
 *
 * @param reviewsId the practice's month
 * @param patientId the patient
 * @param risk      the kind of risk (a finding's {@code risk})
 * @param decision  accepted, corrected, refund issued
 * @param reference what corrected it or the refund's reference; {@code null} for an acceptance
 * @param note      why, in words without patient data
 */
@Revision("1")
public record RiskReviewRecorded(RiskReviewsId reviewsId, String patientId, String risk, ReviewDecision decision,
                                 String reference, String note) {
}
