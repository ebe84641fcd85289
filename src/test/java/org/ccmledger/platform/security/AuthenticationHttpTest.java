package org.ccmledger.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.model.Filters;
import com.nimbusds.jwt.JWTClaimsSet;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Authentication with the local development issuer: the documented {@code mint-token} command gives a token the
 * service accepts, the acting user comes from it, and every token that is not valid (expired, not yet valid, no
 * expiry, another issuer, another key, altered, unsigned, no usable user) is a 401 that writes nothing and does not
 * echo the token.
 */
class AuthenticationHttpTest extends HttpTestBase {

    private static final String PRACTICE = "au-" + System.nanoTime();
    private static final String PATIENTS = "/api/v1/practices/" + PRACTICE + "/patients";

    private WebTestClient bearer(String token) {
        return anonymous().mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    private static String mintToken(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DevTokenCommand.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                                         new PrintStream(err, true, StandardCharsets.UTF_8));
        return status + "\n" + out.toString(StandardCharsets.UTF_8).trim();
    }

    @Test
    @DisplayName("The documented mint-token command makes a token the service accepts; its user is the event's actor")
    void theMintTokenCommandMakesAWorkingToken() {
        String[] result = mintToken("--user=admin-7", "--role=admin,auditor", "--practice=" + PRACTICE,
                                    "--data-dir=" + dataDirectory()).split("\n");
        assertThat(result[0]).isEqualTo("0");
        bearer(result[1]).post().uri(PATIENTS).contentType(MediaType.APPLICATION_JSON)
                         .bodyValue(PatientMother.enrollment("pt-mint")).exchange().expectStatus().isCreated();
        String meta = ledger.events().find(Filters.eq("aggregateIdentifier", PRACTICE + "/pt-mint")).first()
                            .getString("metaData");
        assertThat(meta).contains("\"actor\":\"admin-7\"");
        // the roles it names and no others
        bearer(result[1]).post().uri(PATIENTS + "/pt-mint/consents").contentType(MediaType.APPLICATION_JSON)
                         .bodyValue(PatientMother.consent()).exchange().expectStatus().isForbidden();
    }

    @Test
    @DisplayName("mint-token refuses what it cannot mint and prints no token")
    void theMintTokenCommandRefusesBadArguments() {
        String dir = "--data-dir=" + dataDirectory();
        assertThat(mintToken("--user=a", "--role=janitor", "--practice=p1", dir)).isEqualTo("2\n");
        assertThat(mintToken("--role=admin", "--practice=p1", dir)).isEqualTo("2\n");
        assertThat(mintToken("--user=a b", "--role=admin", "--practice=p1", dir)).isEqualTo("2\n");
        assertThat(mintToken("--user=a", "--role=admin", "--practice=p1", "--hours=100", dir)).isEqualTo("2\n");
        assertThat(mintToken("--user=a", "--role=admin", "--practice=p1", "--colour=red", dir)).isEqualTo("2\n");
    }

    @Test
    @DisplayName("Every invalid token is a 401 problem that writes nothing and does not repeat the token")
    void invalidTokensAreRefused(@TempDir Path elsewhere) {
        Instant now = Instant.now();
        JWTClaimsSet valid = claims(now).build();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("not a JWT", "not-a-jwt");
        tokens.put("expired", tokens().sign(claims(now).expirationTime(Date.from(now.minus(Duration.ofMinutes(10))))
                                                      .build()));
        tokens.put("not yet valid", tokens().sign(claims(now).notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10))))
                                                            .build()));
        tokens.put("no expiry", tokens().sign(claims(now).expirationTime(null).build()));
        // ccm.security.max-token-lifetime, 24 hours by default: from iat, or from now for a later or missing iat
        tokens.put("lives 25 hours", tokens().sign(claims(now).expirationTime(Date.from(now.plus(Duration.ofHours(25))))
                                                             .build()));
        tokens.put("issued 30 hours ago", tokens().sign(claims(now).issueTime(Date.from(now.minus(Duration.ofHours(30))))
                                                                  .expirationTime(Date.from(now.plusSeconds(600)))
                                                                  .build()));
        tokens.put("issued in a day", tokens().sign(claims(now).issueTime(Date.from(now.plus(Duration.ofDays(1))))
                                                              .expirationTime(Date.from(now.plus(Duration.ofHours(25))))
                                                              .build()));
        tokens.put("another issuer", tokens().sign(claims(now).issuer("https://idp.example").build()));
        tokens.put("another key", DevIssuer.inDirectory(elsewhere).mint("admin-7", Set.of(Role.ADMIN),
                                                                          List.of(PRACTICE), Duration.ofMinutes(5)));
        tokens.put("no user", tokens().sign(claims(now).subject(null).build()));
        tokens.put("unusable user", tokens().sign(claims(now).subject("<script>").build()));
        String signed = tokens().sign(valid);
        String[] parts = signed.split("\\.");
        String raised = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims(now).claim("practices", List.of(PRACTICE, "another")).build().toString()
                           .getBytes(StandardCharsets.UTF_8));
        tokens.put("altered", parts[0] + "." + raised + "." + parts[2]);
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        tokens.put("unsigned", none + "." + parts[1] + ".");

        bearer(signed).post().uri(PATIENTS).contentType(MediaType.APPLICATION_JSON)
                      .bodyValue(PatientMother.enrollment("pt-valid")).exchange().expectStatus().isCreated();
        // the longest mint-token makes is within the limit
        bearer(tokens().sign(claims(now).expirationTime(Date.from(now.plus(Duration.ofHours(24)))).build()))
                .post().uri(PATIENTS).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PatientMother.enrollment("pt-day-long")).exchange().expectStatus().isCreated();
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            long before = eventsInLedger();
            String body = bearer(token.getValue()).post().uri(PATIENTS).contentType(MediaType.APPLICATION_JSON)
                                                  .bodyValue(PatientMother.enrollment("pt-" + token.getKey()
                                                                                               .replace(' ', '-')))
                                                  .exchange()
                                                  .expectStatus().isUnauthorized()
                                                  .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                                                  .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE,
                                                          h -> assertThat(h).startsWith("Bearer"))
                                                  .expectBody(String.class).returnResult().getResponseBody();
            assertThat(body).as(token.getKey()).doesNotContain(token.getValue());
            assertThat(eventsInLedger()).as(token.getKey()).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("A token with no role the service knows is authenticated and refused (403) everywhere")
    void aTokenWithoutKnownRolesIsRefused() {
        String token = tokens().sign(claims(Instant.now()).claim("roles", List.of("superuser", "root")).build());
        bearer(token).get().uri(PATIENTS + "/pt-x").exchange().expectStatus().isForbidden();
        bearer(token).get().uri("/api/v1/ledger/digests").exchange().expectStatus().isForbidden();
        // one space-separated string, as some providers flatten a list
        String spaced = tokens().sign(claims(Instant.now()).claim("roles", "billing platform-auditor").build());
        bearer(spaced).get().uri("/api/v1/ledger/digests").exchange().expectStatus().isOk();
        // a practice's role in a token for no practice acts for nothing, not even the ledger-wide endpoints
        String nowhere = tokens().sign(claims(Instant.now()).claim("roles", List.of("auditor", "admin"))
                                                            .claim("practices", List.of()).build());
        bearer(nowhere).get().uri("/api/v1/ledger/digests").exchange().expectStatus().isForbidden();
        bearer(nowhere).post().uri("/api/v1/ledger/digests").exchange().expectStatus().isForbidden();
        // a practice's auditor or admin is no platform auditor or admin
        String practiceAuditor = tokens().sign(claims(Instant.now()).claim("roles", List.of("auditor", "admin"))
                                                                    .build());
        bearer(practiceAuditor).get().uri("/api/v1/ledger/verification").exchange().expectStatus().isForbidden();
        bearer(practiceAuditor).post().uri("/api/v1/ledger/digests").exchange().expectStatus().isForbidden();
        // a platform role acts without a practice, and only where the platform's endpoints admit it
        String platform = tokens().sign(claims(Instant.now()).claim("roles", List.of("platform-auditor"))
                                                             .claim("practices", List.of()).build());
        bearer(platform).get().uri("/api/v1/ledger/digests").exchange().expectStatus().isOk();
        bearer(platform).get().uri(PATIENTS + "/pt-x").exchange().expectStatus().isForbidden();
        bearer(platform).post().uri("/api/v1/ledger/digests").exchange().expectStatus().isForbidden();
    }

    @Test
    @DisplayName("Without a configured provider the development issuer's key is generated owner-only in the data dir")
    void theDevelopmentKeyIsOwnerOnly() throws Exception {
        Path key = dataDirectory().resolve(DevIssuer.FILE_NAME);
        assertThat(key).exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
    }

    private static JWTClaimsSet.Builder claims(Instant now) {
        return new JWTClaimsSet.Builder().issuer(DevIssuer.ISSUER).subject("admin-7")
                                         .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                                         .claim("roles", List.of("admin")).claim("practices", List.of(PRACTICE));
    }
}
