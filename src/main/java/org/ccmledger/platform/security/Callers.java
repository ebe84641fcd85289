package org.ccmledger.platform.security;

import java.security.Principal;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;

import reactor.core.publisher.Mono;

/** The caller of the request being served, from its verified token. */
public final class Callers {

    private Callers() {
    }

    /**
     * The caller of the request whose reactive chain this runs in; an error when there is none, which the security
     * configuration never lets reach a handler that asks.
     */
    public static Mono<Caller> current() {
        return ReactiveSecurityContextHolder.getContext()
                                            .map(SecurityContext::getAuthentication)
                                            .flatMap(Callers::of)
                                            .switchIfEmpty(Mono.error(() -> new IllegalStateException(
                                                    "no authenticated caller for this request")));
    }

    /**
     * The caller a principal stands for: a verified token's, or a console session's; empty for anything else.
     */
    public static Mono<Caller> of(Principal principal) {
        if (principal instanceof ConsoleAuthentication console && console.isAuthenticated()) {
            return Mono.just(console.caller());
        }
        return principal instanceof CallerAuthentication authentication && authentication.isAuthenticated()
                ? Mono.just(authentication.caller()) : Mono.empty();
    }
}
