package org.ccmledger.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ccmledger.CcmLedgerApplication;
import org.ccmledger.ledger.LedgerCollections;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A deployment configured as production is: a metrics token, and a hospital's identity provider: issuer, JWKS address, audience and its own claim names. Its tokens
 * are accepted through the keys it publishes; a token of another issuer or audience, or of the development issuer
 * (off once a provider is configured), is not.
 * <p>
 * The service runs in an application context of its own, started here rather than by Spring's test context cache:
 * a second cached context would pause the shared one of the HTTP tests, and Axon's processors do not come back from
 * that pause.
 */
class ConfiguredDeploymentHttpTest {

    private static final String ISSUER = "https://idp.hospital.example/realms/ccm";
    private static final String METRICS_TOKEN = "s3cret-metrics";
    private static final RSAKey KEY = generate("idp-key-1");
    private static final AtomicInteger JWKS_FETCHES = new AtomicInteger();
    private static final HttpServer IDP = jwksServer();

    private static ConfigurableApplicationContext service;
    private static int port;
    private static LedgerCollections ledger;

    @BeforeAll
    static void startTheService() {
        // as command-line arguments: they outrank application.yml, default properties would not
        service = new SpringApplicationBuilder(CcmLedgerApplication.class).run(
                "--server.port=0", "--spring.main.banner-mode=off",
                "--ccm.mongo.embedded.backend=memory", "--ccm.integrity.digest-interval=0",
                "--ccm.mongo.embedded.data-dir=target/external-issuer-test-data",
                "--ccm.security.issuer-uri=" + ISSUER,
                "--ccm.security.jwk-set-uri=http://127.0.0.1:" + IDP.getAddress().getPort() + "/certs",
                "--ccm.security.audience=ccm-ledger",
                "--ccm.security.user-claim=preferred_username",
                "--ccm.security.roles-claim=groups",
                "--ccm.security.practices-claim=ccm_practices",
                "--ccm.metrics.token=" + METRICS_TOKEN);
        port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
        ledger = service.getBean(LedgerCollections.class);
    }

    private static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer jwksServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/certs", exchange -> {
                JWKS_FETCHES.incrementAndGet();
                byte[] body = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        IDP.stop(0);
    }

    private static String token(RSAKey key, String issuer, String audience, List<String> practices) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(issuer).audience(audience).subject("3f1c-uuid-of-the-user")
                    .claim("preferred_username", "jdoe").claim("groups", List.of("admin", "staff-all"))
                    .claim("ccm_practices", practices)
                    .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                                          claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private WebTestClient.ResponseSpec enroll(String token, String patient) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
                            .post().uri("/api/v1/practices/hosp-1/patients")
                            .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(PatientMother.enrollment(patient))
                            .exchange();
    }

    @Test
    @DisplayName("The provider's token is verified with its published keys; user, roles and practices from its claims")
    void theProvidersTokensAreAccepted() {
        enroll(token(KEY, ISSUER, "ccm-ledger", List.of("hosp-1")), "pt-ext").expectStatus().isCreated()
                .expectBody().jsonPath("$.patientId").isEqualTo("pt-ext");
        assertThat(JWKS_FETCHES.get()).as("the keys came from the configured JWKS address").isPositive();
        assertThat(ledger.events().find(com.mongodb.client.model.Filters.eq("aggregateIdentifier", "hosp-1/pt-ext"))
                         .first().getString("metaData")).contains("\"actor\":\"jdoe\"");
        enroll(token(KEY, ISSUER, "ccm-ledger", List.of("hosp-2")), "pt-ext2").expectStatus().isForbidden();
    }

    @Test
    @DisplayName("Another issuer, another audience, another key or the development issuer: 401")
    void otherTokensAreNot() {
        enroll(token(KEY, "https://evil.example", "ccm-ledger", List.of("hosp-1")), "pt-x1")
                .expectStatus().isUnauthorized();
        enroll(token(KEY, ISSUER, "another-service", List.of("hosp-1")), "pt-x2").expectStatus().isUnauthorized();
        enroll(token(generate("idp-key-1"), ISSUER, "ccm-ledger", List.of("hosp-1")), "pt-x3")
                .expectStatus().isUnauthorized();
        String dev = DevIssuer.inDirectory(java.nio.file.Path.of("target/external-issuer-test-data"))
                              .mint("admin-1", List.of(Role.ADMIN), List.of("hosp-1"), java.time.Duration.ofMinutes(5));
        enroll(dev, "pt-x4").expectStatus().isUnauthorized();
    }

    @Test
    @DisplayName("A provider without a console client there: the console has no sign-in, the development one refused")
    void theConsoleHasNoSignInWithoutItsClientAtTheProvider() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        client.get().uri("/console/sign-in").exchange().expectStatus().isForbidden()
              .expectBody(String.class).value(html -> org.assertj.core.api.Assertions.assertThat(html)
                      .contains("sign-in-refused").doesNotContain("/console/sign-in/oauth2/provider"));
        client.get().uri("/console/sign-in/oauth2/provider").exchange().expectStatus().is3xxRedirection()
              .expectHeader().location("/console/sign-in");
    }

    @Test
    @DisplayName("Prometheus scrapes with the metrics token (no JWT); public paths ignore a bearer token they do not need")
    void theMetricsTokenIsNotTakenForAJwt() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        client.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + METRICS_TOKEN)
              .exchange().expectStatus().isOk();
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
        client.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer wrong")
              .exchange().expectStatus().isUnauthorized();
        client.get().uri("/actuator/health").header(HttpHeaders.AUTHORIZATION, "Bearer expired-or-foreign")
              .exchange().expectStatus().isOk();
    }
}
