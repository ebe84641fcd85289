package org.ccmledger.audit;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.Arrays;
import java.util.regex.Pattern;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.audit.api.RecordRiskReview;
import org.ccmledger.audit.api.ReviewDecision;
import org.ccmledger.audit.api.RiskReviewRecorded;
import org.ccmledger.platform.ids.IdFormat;
import org.ccmledger.platform.problem.Refusal;

/** The review decisions of a practice's month of risks (stream {@code practice:<id>:risk-reviews:<yyyy-MM>}). */
@Aggregate(type = "RiskReviews")
class RiskReviews {

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9 ._:/#-]{1,100}");

    @AggregateIdentifier
    private String id;

    RiskReviews() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RecordRiskReview command) {
        require(IdFormat.isId(command.patientId()), "patientId", "a patient id");
        require(command.risk() != null && Arrays.stream(RiskRules.Risk.values())
                                                .anyMatch(r -> r.name().equals(command.risk())), "risk",
                "one of " + Arrays.toString(RiskRules.Risk.values()));
        require(command.decision() != null, "decision", "ACCEPTED, CORRECTED or REFUND_ISSUED");
        boolean needsReference = command.decision() != ReviewDecision.ACCEPTED;
        require(!needsReference || command.reference() != null && REFERENCE.matcher(command.reference()).matches(),
                "reference", "what corrected it or the refund's reference (1-100 letters, digits, ._:/#-)");
        require(command.reference() == null || REFERENCE.matcher(command.reference()).matches(), "reference",
                "1-100 letters, digits, ._:/#-");
        require(command.note() != null && !command.note().isBlank() && command.note().length() <= 500, "note",
                "1-500 characters");
        apply(new RiskReviewRecorded(command.reviewsId(), command.patientId(), command.risk(), command.decision(),
                                     command.reference(), command.note()));
    }

    @EventSourcingHandler
    void on(RiskReviewRecorded event) {
        id = event.reviewsId().toString();
    }

    private static void require(boolean ok, String field, String what) {
        if (!ok) {
            throw Refusal.malformed("INVALID_FIELD", "Field '" + field + "' must be " + what);
        }
    }
}
