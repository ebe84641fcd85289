package org.ccmledger.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.core.publisher.Mono;

/** Verified tokens are remembered for a minute at most, never past their expiry; refused ones are not remembered. */
class VerifiedTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-03T00:00:00Z");

    private final AtomicInteger verifications = new AtomicInteger();
    private Instant now = NOW;
    private Instant expiresAt = NOW.plus(Duration.ofHours(1));

    private final ReactiveJwtDecoder delegate = token -> {
        verifications.incrementAndGet();
        if (token.startsWith("bad")) {
            return Mono.error(new BadJwtException("signature"));
        }
        return Mono.just(Jwt.withTokenValue(token).header("alg", "RS256").subject("nurse-1")
                            .issuedAt(NOW).expiresAt(expiresAt).build());
    };

    private final VerifiedTokens testSubject = new VerifiedTokens(delegate, new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void theSameTokenIsVerifiedOnceWithinAMinute() {
        assertThat(testSubject.decode("t1").block().getSubject()).isEqualTo("nurse-1");
        now = NOW.plusSeconds(59);
        assertThat(testSubject.decode("t1").block().getSubject()).isEqualTo("nurse-1");

        assertThat(verifications).hasValue(1);
    }

    @Test
    void aTokenIsVerifiedAgainAfterAMinute() {
        testSubject.decode("t1").block();
        now = NOW.plus(VerifiedTokens.REMEMBERED);
        testSubject.decode("t1").block();

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aTokenIsNeverServedFromMemoryPastItsExpiry() {
        expiresAt = NOW.plusSeconds(10);
        testSubject.decode("t1").block();
        now = NOW.plusSeconds(10);
        testSubject.decode("t1").block();

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aRefusedTokenIsRefusedEveryTime() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> testSubject.decode("bad-token").block()).isInstanceOf(BadJwtException.class);
        }

        assertThat(verifications).hasValue(2);
    }

    @Test
    void anotherTokenIsVerifiedOnItsOwn() {
        testSubject.decode("t1").block();
        testSubject.decode("t2").block();

        assertThat(verifications).hasValue(2);
    }
}
