package org.ccmledger.audit.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records a review decision on one risk of one patient-month. */
public record RecordRiskReview(@TargetAggregateIdentifier RiskReviewsId reviewsId, String patientId, String risk,
                               ReviewDecision decision, String reference, String note) {
}
