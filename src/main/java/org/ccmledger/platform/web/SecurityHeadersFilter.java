package org.ccmledger.platform.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Security headers on every response: nothing is sniffed, framed, cached or referred, and API answers may load
 * nothing at all (a strict Content-Security-Policy); the console loads only its own files (no inline script or style);
 * Swagger UI gets the policy it needs to run from this origin.
 * HSTS is sent too: browsers honour it once the service is reached over TLS (its own, {@link ServerTls}, or a proxy's).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeadersFilter implements WebFilter {

    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    /** The console: its own scripts, styles and images only; no inline script or style, no other origin. */
    static final String CONSOLE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                         + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                                         + "base-uri 'none'";
    static final String UI_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                    + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        boolean ui = path.startsWith("/swagger-ui") || path.startsWith("/webjars/");
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        boolean console = path.equals("/console") || path.startsWith("/console/");
        headers.set("Content-Security-Policy", console ? CONSOLE_POLICY : ui ? UI_POLICY : API_POLICY);
        headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Cross-Origin-Resource-Policy", "same-origin");
        if (!ui) {
            // patient data must not sit in shared or browser caches
            headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
            headers.set(HttpHeaders.PRAGMA, "no-cache");
        }
        return chain.filter(exchange);
    }
}
