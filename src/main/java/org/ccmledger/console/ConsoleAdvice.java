package org.ccmledger.console;

import java.util.Optional;

import org.ccmledger.platform.ids.IdFormat;
import org.ccmledger.platform.web.Problems;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.security.Caller;
import org.ccmledger.platform.security.Callers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What every console page has: the CSRF token its forms carry, who is signed in; and a page in words when something
 * is refused (the refusal's sentence and rule, never the patient data asked for).
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAdvice.class);

    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        // Spring Security hands the token over on its parallel scheduler: the page is rendered where the last of its
        // attributes arrives, and rendering reads templates from the class path (Pages)
        return token == null ? Mono.empty() : token.publishOn(Schedulers.boundedElastic());
    }

    /** Whether the signed-in user came through the development sign-in, which every page then marks as such. */
    @ModelAttribute("devSignIn")
    Mono<Boolean> devSignIn() {
        return org.springframework.security.core.context.ReactiveSecurityContextHolder.getContext()
                .map(context -> context.getAuthentication()
                        instanceof org.ccmledger.platform.security.ConsoleAuthentication signedIn
                        && signedIn.development())
                .defaultIfEmpty(false);
    }

    /** The {@code pattern} of every field that takes a patient's id: the ledger's id format, as a browser reads it. */
    @ModelAttribute("idPattern")
    String idPattern() {
        return IdFormat.HTML_PATTERN;
    }

    /** The {@code maxlength} of the same fields. */
    @ModelAttribute("idMaxLength")
    int idMaxLength() {
        return IdFormat.MAX_LENGTH;
    }

    @ModelAttribute("me")
    Mono<Caller> me() {
        return Callers.current().onErrorResume(IllegalStateException.class, e -> Mono.empty())
                      .publishOn(Schedulers.boundedElastic());
    }

    /** The signed-in user's roles by their claim values ({@code billing}, ...), for what a page offers them. */
    @ModelAttribute("roles")
    Mono<java.util.Set<String>> roles() {
        return me().map(caller -> caller.roles().stream().map(org.ccmledger.platform.security.Role::claimValue)
                                        .collect(java.util.stream.Collectors.toSet()))
                   .defaultIfEmpty(java.util.Set.of());
    }

    @ExceptionHandler(Throwable.class)
    Mono<Rendering> refused(Throwable e) {
        // a malformed parameter (Require's checks, as the API's): 400 with its reason, which names only the parameter
        if (e instanceof org.springframework.web.server.ServerWebInputException input) {
            return Pages.rendered(Rendering.view("console/error").status(HttpStatus.BAD_REQUEST)
                            .modelAttribute("status", HttpStatus.BAD_REQUEST.value())
                            .modelAttribute("detail", String.valueOf(input.getReason()))
                            .modelAttribute("rule", "").build());
        }
        Optional<Refusal> refusal = refusal(e);
        HttpStatus status = refusal.map(r -> Problems.status(r.kind()))
                                   .orElse(HttpStatus.INTERNAL_SERVER_ERROR);
        if (refusal.isEmpty()) {
            // the type only: a message may name what was asked for
            log.error("Console page failed: {}", e.getClass().getName());
        }
        return Pages.rendered(Rendering.view("console/error").status(status)
                        .modelAttribute("status", status.value())
                        .modelAttribute("detail", refusal.map(Throwable::getMessage)
                                                         .orElse("The page could not be shown."))
                        .modelAttribute("rule", refusal.map(Refusal::rule).orElse(""))
                        .build());
    }

    /** The refusal a command or query failed with, wherever Axon wrapped it. */
    static Optional<Refusal> refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Refusal r) {
                return Optional.of(r);
            }
            if (t instanceof org.axonframework.modelling.command.AggregateNotFoundException) {
                return Optional.of(Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice"));
            }
        }
        return Optional.empty();
    }
}
