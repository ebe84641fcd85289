package org.ccmledger.platform.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Whose tokens the service accepts and where in a token it finds the user, roles and practices.
 *
 * @param issuerUri      the identity provider's issuer ({@code iss}); with no {@code jwkSetUri} its keys are found
 *                       through its OpenID discovery document
 * @param jwkSetUri      where the identity provider publishes its signing keys (JWKS)
 * @param audience       when set, a token must name it in {@code aud}
 * @param userClaim      the claim naming the user, {@code sub} by default
 * @param rolesClaim     the claim listing the user's roles ({@link Role#claimValue()}), {@code roles} by default
 * @param practicesClaim the claim listing the practices the user may act for, {@code practices} by default
 * @param algorithms     the JWS algorithms accepted from the identity provider, {@code RS256} by default
 * @param devIssuer      {@code auto} (the default): the local development issuer when no issuer or JWKS is configured
 *                       and the ledger is the embedded store; {@code off}: never; {@code on}: also with a configured
 *                       MongoDB whose every host is this machine's loopback (the standalone {@code embedded-mongo} of
 *                       development and tests, shared by several instances), never with any other
 * @param maxTokenLifetime the longest a token may live, from its {@code iat} (or from now, when it has none or names a
 *                       later time) to its {@code exp}, 60 seconds of clock skew allowed; 24 hours by default (the
 *                       longest {@code mint-token} makes); a token meant to live longer is refused
 */
@ConfigurationProperties("ccm.security")
public record SecurityProperties(String issuerUri, String jwkSetUri, String audience, String userClaim,
                                 String rolesClaim, String practicesClaim, List<String> algorithms,
                                 String devIssuer, Duration maxTokenLifetime) {

    static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(24);

    static final String DEFAULT_ROLES_CLAIM = "roles";
    static final String DEFAULT_PRACTICES_CLAIM = "practices";

    @ConstructorBinding
    public SecurityProperties {
        issuerUri = blankToNull(issuerUri);
        jwkSetUri = blankToNull(jwkSetUri);
        audience = blankToNull(audience);
        userClaim = userClaim == null || userClaim.isBlank() ? "sub" : userClaim;
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? DEFAULT_ROLES_CLAIM : rolesClaim;
        practicesClaim = practicesClaim == null || practicesClaim.isBlank() ? DEFAULT_PRACTICES_CLAIM
                : practicesClaim;
        algorithms = algorithms == null || algorithms.isEmpty() ? List.of("RS256") : List.copyOf(algorithms);
        devIssuer = devIssuer == null || devIssuer.isBlank() ? "auto" : devIssuer;
        if (!devIssuer.equals("auto") && !devIssuer.equals("off") && !devIssuer.equals("on")) {
            throw new IllegalArgumentException("ccm.security.dev-issuer must be auto, off or on");
        }
        maxTokenLifetime = maxTokenLifetime == null ? DEFAULT_MAX_TOKEN_LIFETIME : maxTokenLifetime;
        if (maxTokenLifetime.isNegative() || maxTokenLifetime.isZero()) {
            throw new IllegalArgumentException("ccm.security.max-token-lifetime must be positive");
        }
    }

    /** The properties without a lifetime limit of their own (the default applies). */
    public SecurityProperties(String issuerUri, String jwkSetUri, String audience, String userClaim,
                              String rolesClaim, String practicesClaim, List<String> algorithms, String devIssuer) {
        this(issuerUri, jwkSetUri, audience, userClaim, rolesClaim, practicesClaim, algorithms, devIssuer, null);
    }

    /** Whether an identity provider is configured. */
    public boolean externalIssuer() {
        return issuerUri != null || jwkSetUri != null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
