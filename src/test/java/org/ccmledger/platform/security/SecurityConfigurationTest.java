package org.ccmledger.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.ccmledger.platform.mongo.MongoProperties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/** Which tokens the service trusts by configuration, and how a verified token becomes a caller. */
class SecurityConfigurationTest {

    private static SecurityProperties properties(String issuer, String jwks, String devIssuer) {
        return properties(issuer, jwks, null, devIssuer);
    }

    private static SecurityProperties properties(String issuer, String jwks, String audience, String devIssuer) {
        return new SecurityProperties(issuer, jwks, audience, null, null, null, null, devIssuer);
    }

    private static MongoProperties mongo(String uri, Path dataDir) {
        return new MongoProperties(uri, null, new MongoProperties.Embedded("memory", dataDir, null, null, null));
    }

    @Test
    @DisplayName("An external MongoDB without an identity provider does not start: no development issuer there")
    void productionNeedsAnIdentityProvider(@TempDir Path data) {
        TokenDecoderConfiguration configuration = new TokenDecoderConfiguration();
        assertThatThrownBy(() -> configuration.jwtDecoder(properties(null, null, null),
                                                          mongo("mongodb://db:27017/?replicaSet=rs0", data)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ccm.security.issuer-uri");
        assertThatThrownBy(() -> configuration.jwtDecoder(properties(null, null, "off"), mongo(null, data)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(data.resolve(DevIssuer.FILE_NAME)).doesNotExist();
        // a provider needs its issuer and this service's audience: a JWKS alone would take any tenant's tokens
        assertThatThrownBy(() -> configuration.jwtDecoder(properties(null, "http://idp.invalid/certs", "ccm", null),
                                                          mongo("mongodb://db:27017/", data)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer-uri");
        assertThatThrownBy(() -> configuration.jwtDecoder(properties("https://idp.invalid", null, null, null),
                                                          mongo("mongodb://db:27017/", data)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("audience");
        assertThat(configuration.jwtDecoder(properties("https://idp.invalid", "http://idp.invalid/certs", "ccm",
                                                       null), mongo("mongodb://db:27017/", data))).isNotNull();
        assertThat(configuration.jwtDecoder(properties(null, null, null), mongo(null, data))).isNotNull();
        assertThat(data.resolve(DevIssuer.FILE_NAME)).exists();
    }

    @Test
    @DisplayName("Development tokens with a configured MongoDB: only with dev-issuer=on and only on this machine's "
                 + "loopback (the standalone embedded-mongo), never elsewhere")
    void developmentTokensWithAConfiguredMongoNeedTheExplicitSettingAndALoopbackHost(@TempDir Path data) {
        TokenDecoderConfiguration configuration = new TokenDecoderConfiguration();
        String local = "mongodb://127.0.0.1:27117/?appName=secret";
        assertThatThrownBy(() -> configuration.jwtDecoder(properties(null, null, null), mongo(local, data)))
                .as("auto: not without the setting").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dev-issuer=on");
        assertThat(configuration.jwtDecoder(properties(null, null, "on"), mongo(local, data))).isNotNull();
        assertThat(TokenDecoderConfiguration.devIssuerServes(properties(null, null, "on"),
                                                         mongo("mongodb://localhost:27117,[::1]:27118/", data)))
                .isTrue();
        for (String elsewhere : List.of("mongodb://db:27017/?replicaSet=rs0", "mongodb://127.0.0.1:1,db2:27017/",
                                        "mongodb+srv://cluster.example.org/", "mongodb://10.0.0.5:27117/")) {
            assertThatThrownBy(() -> configuration.jwtDecoder(properties(null, null, "on"), mongo(elsewhere, data)))
                    .as(elsewhere).isInstanceOf(IllegalStateException.class);
        }
        assertThat(TokenDecoderConfiguration.devIssuerServes(properties(null, null, "off"), mongo(local, data))).isFalse();
    }

    @Test
    @DisplayName("The development issuer's tokens carry no audience and are accepted when one is configured")
    void theDevelopmentIssuerIgnoresTheAudience(@TempDir Path data) {
        var decoder = new TokenDecoderConfiguration().jwtDecoder(properties(null, null, "ccm-ledger", null),
                                                             mongo(null, data));
        String token = DevIssuer.inDirectory(data).mint("nurse-1", List.of(Role.CARE_STAFF), List.of("p1"),
                                                        java.time.Duration.ofMinutes(5));
        assertThat(decoder.decode(token).block().getSubject()).isEqualTo("nurse-1");
    }

    @Test
    @DisplayName("Roles the service does not know are ignored; roles may come as a list or one spaced string")
    void aTokenBecomesACaller() {
        SecurityProperties defaults = properties(null, null, null);
        CallerAuthentication listed = (CallerAuthentication) SecurityConfiguration.callerOf(defaults).convert(
                jwt("nurse-1", List.of("care-staff", "superuser"), List.of("p1", "p2"))).block();
        assertThat(listed.caller()).isEqualTo(new Caller("nurse-1", java.util.Set.of(Role.CARE_STAFF),
                                                         java.util.Set.of("p1", "p2")));
        assertThat(listed.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_CARE_STAFF");
        CallerAuthentication spaced = (CallerAuthentication) SecurityConfiguration.callerOf(defaults).convert(
                jwt("a@b.org", "billing auditor", "p1")).block();
        assertThat(spaced.caller().roles()).containsExactlyInAnyOrder(Role.BILLING, Role.AUDITOR);
        assertThatThrownBy(() -> SecurityConfiguration.callerOf(defaults).convert(jwt("a b", "admin", "p1")).block())
                .isInstanceOf(InvalidBearerTokenException.class);
    }

    private static Jwt jwt(String subject, Object roles, Object practices) {
        return Jwt.withTokenValue("t").header("alg", "RS256").subject(subject).claim("roles", roles)
                  .claim("practices", practices).issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60))
                  .build();
    }
}
