package org.ccmledger.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.core.publisher.Mono;

/**
 * A {@link ReactiveJwtDecoder} that remembers the tokens its delegate verified, so that a client sending the same
 * bearer token with every request has its signature checked and its claims converted once, not per request (about
 * 7 % of the service's CPU per command in {@code HttpWriteBenchmark}'s profile). A token is served from memory only as
 * the exact string that was verified, for at most {@link #REMEMBERED} and never past its {@code exp}; a token the
 * delegate refused is not remembered. So a signing key withdrawn from the identity provider's JWKS stops its tokens
 * here at most {@link #REMEMBERED} later. At most {@link #CAPACITY} tokens are kept; beyond that the memory is
 * emptied and filled again.
 */
final class VerifiedTokens implements ReactiveJwtDecoder {

    /** How long a verified token is accepted without being verified again: one minute. */
    static final Duration REMEMBERED = Duration.ofMinutes(1);
    /** How many verified tokens are kept at most. */
    static final int CAPACITY = 4096;

    private record Verified(Jwt jwt, Instant until) {
    }

    private final ReactiveJwtDecoder delegate;
    private final Clock clock;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    VerifiedTokens(ReactiveJwtDecoder delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Verified known = verified.get(token);
        if (known != null) {
            if (clock.instant().isBefore(known.until())) {
                return Mono.just(known.jwt());
            }
            verified.remove(token, known);
        }
        return delegate.decode(token).doOnNext(jwt -> remember(token, jwt));
    }

    private void remember(String token, Jwt jwt) {
        Instant until = clock.instant().plus(REMEMBERED);
        if (jwt.getExpiresAt() == null) {
            return;
        }
        if (jwt.getExpiresAt().isBefore(until)) {
            until = jwt.getExpiresAt();
        }
        if (verified.size() >= CAPACITY) {
            verified.clear();
        }
        verified.put(token, new Verified(jwt, until));
    }
}
