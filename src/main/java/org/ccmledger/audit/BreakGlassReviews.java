package org.ccmledger.audit;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.audit.api.BreakGlassReadReviewed;
import org.ccmledger.audit.api.ReviewBreakGlassRead;
import org.ccmledger.platform.problem.Refusal;

/**
 * A practice's decisions on its emergency reads (stream {@code practice:<id>:break-glass-reviews}): each read is
 * reviewed once, with a decision and a note; a second decision on the same read is refused, never a replacement.
 */
@Aggregate(type = "BreakGlassReviews")
class BreakGlassReviews {

    @AggregateIdentifier
    private String id;
    private final Set<Long> reviewed = new HashSet<>();

    BreakGlassReviews() {
        // for Axon
    }

    /** Who made the emergency read at a global index of a practice's ledger; empty when it holds none. Blocking. */
    interface EmergencyReads {
        Optional<String> readerOf(String practiceId, long accessIndex);
    }

    /**
     * Only an emergency read of the practice can be reviewed, never by the one who made it, and once: the read is
     * looked up by its index ({@code reads}, a Spring bean Axon injects); the reviewer is the command's actor.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ReviewBreakGlassRead command, @MetaDataValue("actor") String reviewer, EmergencyReads reads) {
        String reader = reads.readerOf(command.reviewsId().practiceId().value(), command.accessIndex())
                             .orElseThrow(() -> Refusal.notFound("UNKNOWN_BREAK_GLASS_READ",
                                                                 "this practice has no emergency read at that index"));
        if (reader.equals(reviewer)) {
            throw Refusal.forbidden("SELF_REVIEW", "an emergency read is reviewed by someone else than the person "
                                                   + "who made it");
        }
        if (reviewed.contains(command.accessIndex())) {
            throw Refusal.conflict("ALREADY_REVIEWED", "this emergency read has been reviewed; a review is never "
                                                       + "replaced");
        }
        apply(new BreakGlassReadReviewed(command.reviewsId(), command.accessIndex(), command.decision(),
                                         command.note()));
    }

    @EventSourcingHandler
    void on(BreakGlassReadReviewed event) {
        id = event.reviewsId().toString();
        reviewed.add(event.accessIndex());
    }
}
