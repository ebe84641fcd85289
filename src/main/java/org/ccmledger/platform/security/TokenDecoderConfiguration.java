package org.ccmledger.platform.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.ccmledger.platform.mongo.MongoProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Which bearer tokens the service verifies, and how: the configured identity provider's (its JWKS, issuer and
 * audience, the algorithms allowed) or, only where {@link #devIssuerServes} allows it, the local development issuer's;
 * every token with an expiry, a lifetime no longer than configured, and verified ones remembered for a minute
 * ({@link VerifiedTokens}). {@link SecurityConfiguration} puts the decoder in the API's filter chain.
 */
@Configuration
class TokenDecoderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TokenDecoderConfiguration.class);
    /** As Spring's timestamp validator allows on {@code exp} and {@code nbf}. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    @Bean
    ReactiveJwtDecoder jwtDecoder(SecurityProperties properties, MongoProperties mongo) {
        if (properties.externalIssuer()) {
            // an issuer and an audience are required: a JWKS can hold the keys of many tenants and many applications
            if (properties.issuerUri() == null || properties.audience() == null) {
                throw new IllegalStateException("An identity provider needs ccm.security.issuer-uri and "
                        + "ccm.security.audience: without them any tenant's or application's token would do");
            }
            NimbusReactiveJwtDecoder decoder = (properties.jwkSetUri() != null
                    ? NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwkSetUri())
                    : NimbusReactiveJwtDecoder.withIssuerLocation(properties.issuerUri()))
                    .jwsAlgorithms(algorithms -> {
                        algorithms.clear();
                        properties.algorithms().forEach(name -> algorithms.add(SignatureAlgorithm.from(name)));
                    })
                    .build();
            decoder.setJwtValidator(validator(properties.issuerUri(), properties.audience(),
                                              properties.maxTokenLifetime()));
            log.info("Accepting bearer tokens from the configured identity provider");
            return new VerifiedTokens(decoder, java.time.Clock.systemUTC());
        }
        if (!devIssuerServes(properties, mongo)) {
            throw new IllegalStateException("No identity provider is configured: set ccm.security.issuer-uri or "
                    + "ccm.security.jwk-set-uri (the development issuer serves only the embedded store, or with "
                    + "ccm.security.dev-issuer=on a MongoDB on this machine's loopback)");
        }
        DevIssuer issuer = DevIssuer.inDirectory(mongo.embedded().dataDir());
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey(issuer.publicKey()).build();
        // no audience check: the development issuer's tokens are for this service only
        decoder.setJwtValidator(validator(DevIssuer.ISSUER, null, properties.maxTokenLifetime()));
        log.warn("Accepting bearer tokens of the local development issuer (key {} in the data directory); "
                         + "configure ccm.security.issuer-uri or jwk-set-uri for any real deployment",
                 DevIssuer.FILE_NAME);
        return new VerifiedTokens(decoder, java.time.Clock.systemUTC());
    }

    /**
     * Whether the development issuer may be used (no identity provider being configured): with the in-process embedded
     * store unless it is turned off; with a configured MongoDB only when {@code ccm.security.dev-issuer=on} says so
     * and every host of its URI is a loopback address (the standalone {@code embedded-mongo} of development and tests).
     * A MongoDB elsewhere never accepts development tokens, whatever the setting.
     */
    static boolean devIssuerServes(SecurityProperties properties, MongoProperties mongo) {
        return switch (properties.devIssuer()) {
            case "off" -> false;
            case "on" -> mongo.useEmbedded() || onLoopbackOnly(mongo.uri());
            default -> mongo.useEmbedded();
        };
    }

    private static boolean onLoopbackOnly(String uri) {
        com.mongodb.ConnectionString connection;
        try {
            connection = new com.mongodb.ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (connection.isSrvProtocol()) {
            return false;
        }
        return connection.getHosts().stream().allMatch(host -> {
            String name = host.startsWith("[") ? host.substring(1, host.indexOf(']'))
                    : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
            return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("::1");
        });
    }

    /**
     * Issuer, {@code exp}/{@code nbf} (Spring's default 60 seconds of clock skew), an {@code exp} at all, a lifetime no
     * longer than {@code maxLifetime}, and the audience when one is configured.
     */
    private static OAuth2TokenValidator<Jwt> validator(String issuer, String audience, Duration maxLifetime) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(JwtValidators.createDefaultWithIssuer(issuer));
        validators.add(jwt -> jwt.getExpiresAt() != null ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The token has no expiry", null)));
        validators.add(jwt -> jwt.getExpiresAt() == null || !livesLongerThan(jwt, maxLifetime, Instant.now())
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                        "The token lives longer than this service accepts", null)));
        if (audience != null) {
            validators.add(jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                                                                         "The token is not for this service", null)));
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    /**
     * Whether the token lives longer than {@code max} (plus 60 seconds of clock skew): from its {@code iat}, or from
     * {@code now} when it has none or names a later time, to its {@code exp}.
     */
    static boolean livesLongerThan(Jwt jwt, Duration max, Instant now) {
        Instant issued = jwt.getIssuedAt() == null || jwt.getIssuedAt().isAfter(now) ? now : jwt.getIssuedAt();
        return Duration.between(issued, jwt.getExpiresAt()).compareTo(max.plus(CLOCK_SKEW)) > 0;
    }
}
