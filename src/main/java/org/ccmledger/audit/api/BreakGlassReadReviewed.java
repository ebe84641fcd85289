package org.ccmledger.audit.api;

import org.axonframework.serialization.Revision;

/**
 * A compliance officer reviewed an emergency (break-glass) read: the access record's global index, the decision and
 * why. Who reviewed is the event's actor.
 */
@Revision("1")
public record BreakGlassReadReviewed(BreakGlassReviewsId reviewsId, long accessIndex, BreakGlassDecision decision,
                                     String note) {
}
