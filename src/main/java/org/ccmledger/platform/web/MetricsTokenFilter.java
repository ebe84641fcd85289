package org.ccmledger.platform.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * When {@code ccm.metrics.token} is set, {@code /actuator/prometheus} answers only a scraper that presents it as a
 * bearer token (401 otherwise); unset, the endpoint is open, as a scrape inside a private network expects. Compared in
 * constant time.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class MetricsTokenFilter implements WebFilter {

    private final byte[] expected;

    MetricsTokenFilter(@Value("${ccm.metrics.token:}") String token) {
        this.expected = token.isBlank() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (expected == null || !exchange.getRequest().getPath().value().startsWith("/actuator/prometheus")) {
            return chain.filter(exchange);
        }
        String presented = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            return chain.filter(exchange);
        }
        exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"");
        return exchange.getResponse().setComplete();
    }
}
