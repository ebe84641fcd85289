package org.ccmledger.console;

import java.net.URI;
import java.util.List;

import org.ccmledger.audit.api.BreakGlassDecision;
import org.ccmledger.audit.api.BreakGlassRead;
import org.ccmledger.audit.api.BreakGlassReviewsId;
import org.ccmledger.audit.api.FindBreakGlassReads;
import org.ccmledger.audit.api.ReviewBreakGlassRead;
import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.CommandSender;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * The practice's emergency (break-glass) reads for the compliance officer: the open ones (or all, with their reviews),
 * and a review form on each open one; the auditor reads the list. A review sends the same command as the API's.
 */
@Controller
class BreakGlassPagesController {

    private static final String READS = "/console/practices/{practiceId}/break-glass";

    private final CommandSender sender;

    BreakGlassPagesController(CommandSender sender) {
        this.sender = sender;
    }

    @GetMapping(READS)
    Mono<Rendering> reads(@PathVariable String practiceId, @RequestParam(defaultValue = "open") String show) {
        PracticeId practice = new PracticeId(practiceId);
        boolean openOnly = !show.equals("all");
        return Pages.rendered(sender.queryList(new FindBreakGlassReads(practice, openOnly), BreakGlassRead.class)
                .map(reads -> Rendering.view("console/break-glass")
                                       .modelAttribute("practiceId", practice.value())
                                       .modelAttribute("show", openOnly ? "open" : "all")
                                       .modelAttribute("reads", reads)
                                       .modelAttribute("decisions", List.of(BreakGlassDecision.values()))
                                       .build()));
    }

    @PostMapping(READS + "/{accessIndex}/review")
    Mono<Rendering> review(@PathVariable String practiceId, @PathVariable long accessIndex,
                           ServerWebExchange exchange, ServerHttpRequest request) {
        PracticeId practice = new PracticeId(practiceId);
        return Pages.rendered(exchange.getFormData().flatMap(form -> {
            BreakGlassDecision decision;
            try {
                decision = BreakGlassDecision.valueOf(String.valueOf(form.getFirst("decision")));
            } catch (IllegalArgumentException e) {
                return Mono.error(Refusal.malformed("INVALID_FIELD", "Choose APPROPRIATE or INAPPROPRIATE"));
            }
            return sender.send(new ReviewBreakGlassRead(new BreakGlassReviewsId(practice), accessIndex, decision,
                                                        form.getFirst("note")), request)
                         .thenReturn(Rendering.redirectTo(URI.create("/console/practices/" + practice.value()
                                                                     + "/break-glass").toString()).build());
        }));
    }
}
