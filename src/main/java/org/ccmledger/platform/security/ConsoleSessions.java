package org.ccmledger.platform.security;

import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Who is signed in to the console, kept in the server-side session: signing in stores the caller and changes the
 * session id (no fixation), signing out forgets the session.
 */
public final class ConsoleSessions {

    private final ServerSecurityContextRepository repository;

    ConsoleSessions(ServerSecurityContextRepository repository) {
        this.repository = repository;
    }

    ServerSecurityContextRepository repository() {
        return repository;
    }

    /** Signs {@code authentication} in for the rest of the session. */
    public Mono<Void> signIn(ServerWebExchange exchange, ConsoleAuthentication authentication) {
        return repository.save(exchange, new SecurityContextImpl(authentication));
    }

    /** Ends the session: whoever was signed in is no longer, and the session's data (its CSRF token) is gone. */
    public Mono<Void> signOut(ServerWebExchange exchange) {
        return repository.save(exchange, null).then(exchange.getSession().flatMap(session -> session.invalidate()));
    }
}
