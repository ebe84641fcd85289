package org.ccmledger.platform.web;

import java.util.List;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Checks the {@code Accept} header before any handler runs. One that is not a list of media types is a 400 problem:
 * Spring cannot negotiate with it, not even the problem it would answer, and gave an empty 400 or 406. A command (a
 * POST of the API, which answers JSON) whose {@code Accept} admits no JSON is a 406 problem before the command runs:
 * Spring negotiates only when it writes the answer, so the refusal came after the command was in the ledger. Runs after
 * the security filters (a request without a valid token is a 401 whatever it accepts) and before the idempotency
 * filter.
 */
@Component
@Order(0)
class AcceptFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        List<MediaType> accepted;
        try {
            accepted = request.getHeaders().getAccept();
        } catch (IllegalArgumentException notMediaTypes) {
            return ProblemResponses.write(exchange.getResponse(), HttpStatus.BAD_REQUEST,
                                          "Header Accept is not a list of media types");
        }
        boolean command = request.getMethod() == HttpMethod.POST && request.getPath().value().startsWith("/api/");
        // the onboarding import answers its report as NDJSON; every other command answers JSON
        MediaType answer = request.getPath().value().endsWith("/import") ? MediaType.APPLICATION_NDJSON
                : MediaType.APPLICATION_JSON;
        if (command && !accepted.isEmpty() && accepted.stream().noneMatch(type -> admits(type, answer))) {
            return ProblemResponses.write(exchange.getResponse(), HttpStatus.NOT_ACCEPTABLE,
                                          "This command answers " + answer + ", which the Accept header excludes");
        }
        return chain.filter(exchange);
    }

    private static boolean admits(MediaType accepted, MediaType answer) {
        return accepted.getQualityValue() > 0 && accepted.includes(answer);
    }
}
