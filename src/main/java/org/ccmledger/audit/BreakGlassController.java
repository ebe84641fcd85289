package org.ccmledger.audit;

import java.time.Duration;
import java.util.Map;

import org.ccmledger.audit.api.BreakGlassDecision;
import org.ccmledger.audit.api.BreakGlassReviewsId;
import org.ccmledger.audit.api.ReviewBreakGlassRead;
import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.axon.ProcessorCatchUp;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.CommandSender;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Emergency (break-glass) reads for review: the list a compliance officer works through (the open ones by default) and
 * the review decision on each, recorded as an event. Reads run off the event loop.
 */
@RestController
class BreakGlassController {

    private static final String BREAK_GLASS = "/api/v1/practices/{practiceId}/audit/break-glass";

    private final BreakGlassReads reads;
    private final CommandSender sender;
    private final ProcessorCatchUp catchUp;

    BreakGlassController(BreakGlassReads reads, CommandSender sender, ProcessorCatchUp catchUp) {
        this.reads = reads;
        this.sender = sender;
        this.catchUp = catchUp;
    }

    /** A review decision as sent: {@code APPROPRIATE} or {@code INAPPROPRIATE}, and why. */
    record BreakGlassReviewRequest(BreakGlassDecision decision, String note) {
    }

    /**
     * The practice's emergency reads after the cursor, in the order recorded: {@code status=open} (the default) those
     * not yet reviewed, {@code status=all} every one with its review.
     */
    @GetMapping(BREAK_GLASS)
    Mono<BreakGlassReads.BreakGlassPage> list(@PathVariable String practiceId,
                                    @RequestParam(defaultValue = "open") String status,
                                    @RequestParam(defaultValue = "0") long after,
                                    @RequestParam(defaultValue = "100") int limit) {
        PracticeId practice = new PracticeId(practiceId);
        if (!status.equals("open") && !status.equals("all")) {
            return Mono.error(Refusal.malformed("INVALID_STATUS", "status must be open or all"));
        }
        if (after < 0 || limit < 1 || limit > EventQuery.MAX_LIMIT) {
            return Mono.error(Refusal.malformed("INVALID_LIMIT", "after must be 0 or more and limit 1-"
                                                                 + EventQuery.MAX_LIMIT));
        }
        return Mono.fromCallable(() -> {
            catchUp.await(AuditIndexProjection.PROCESSING_GROUP, Duration.ofSeconds(10));
            return reads.page(practice.value(), status.equals("open"), after, limit);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Records the review of the emergency read at {@code accessIndex}: 404 when the practice has no such read, 403
     * when the reviewer made the read themselves, 409 when it has been reviewed ({@link BreakGlassReviews}).
     */
    @PostMapping(BREAK_GLASS + "/{accessIndex}/review")
    Mono<ResponseEntity<Map<String, String>>> review(@PathVariable String practiceId, @PathVariable long accessIndex,
                                                     @RequestBody BreakGlassReviewRequest body,
                                                     ServerHttpRequest request) {
        ReviewBreakGlassRead command = new ReviewBreakGlassRead(new BreakGlassReviewsId(new PracticeId(practiceId)),
                                                                accessIndex, body.decision(), body.note());
        return sender.created(command, request, Map.of("accessIndex", Long.toString(accessIndex),
                                                       "decision", body.decision().name()));
    }
}
