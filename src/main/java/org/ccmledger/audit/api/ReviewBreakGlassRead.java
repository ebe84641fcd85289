package org.ccmledger.audit.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.ccmledger.platform.problem.Refusal;

/**
 * Records the compliance officer's decision on one emergency read, named by its access record's global index; each
 * read is reviewed once.
 */
public record ReviewBreakGlassRead(@TargetAggregateIdentifier BreakGlassReviewsId reviewsId, long accessIndex,
                                   BreakGlassDecision decision, String note) {

    public ReviewBreakGlassRead {
        if (accessIndex < 0) {
            throw Refusal.malformed("INVALID_FIELD", "the access index is a global index, 0 or more");
        }
        if (decision == null) {
            throw Refusal.malformed("INVALID_FIELD", "Field 'decision' must be APPROPRIATE or INAPPROPRIATE");
        }
        if (note == null || note.isBlank() || note.length() > 500) {
            throw Refusal.malformed("INVALID_FIELD", "Field 'note' must be 1-500 characters");
        }
    }
}
