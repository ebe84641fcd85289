package org.ccmledger.platform.web;

import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Security headers on every kind of response: data, created, problem, actuator, Swagger UI. */
class SecurityHeadersHttpTest extends HttpTestBase {

    private static void assertSecure(WebTestClient.ResponseSpec response, boolean ui) {
        response.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader().valueEquals("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
                .expectHeader().valueEquals("Content-Security-Policy",
                                            ui ? SecurityHeadersFilter.UI_POLICY : SecurityHeadersFilter.API_POLICY);
        if (!ui) {
            response.expectHeader().valueEquals("Cache-Control", "no-store");
        }
    }

    @Test
    @DisplayName("Every response carries the security headers, and patient data is never cacheable")
    void everyResponseIsHardened() {
        String practice = "sh-" + System.nanoTime();
        assertSecure(post("/api/v1/practices/" + practice + "/patients", PatientMother.enrollment("pt-1"))
                             .expectStatus().isCreated(), false);
        assertSecure(client().get().uri("/api/v1/practices/" + practice + "/patients/nobody").exchange()
                             .expectStatus().isNotFound(), false);
        assertSecure(post("/api/v1/practices/" + practice + "/patients", "{not json").expectStatus().isBadRequest(),
                     false);
        assertSecure(client().get().uri("/actuator/health").exchange().expectStatus().isOk(), false);
        // refusals by the security chain too: no token, a token that is not valid, a role that is not allowed
        assertSecure(anonymous().get().uri("/api/v1/practices/" + practice + "/patients/nobody").exchange()
                                .expectStatus().isUnauthorized(), false);
        assertSecure(clientAs("u-other", java.util.Set.of(org.ccmledger.platform.security.Role.AUDITOR)).get()
                             .uri("/api/v1/ledger/digests/1/verification").header("Authorization", "Bearer x").exchange()
                             .expectStatus().isUnauthorized(), false);
        assertSecure(clientAs("u-billing", java.util.Set.of(org.ccmledger.platform.security.Role.BILLING)).get()
                             .uri("/api/v1/ledger/digests").exchange().expectStatus().isForbidden(), false);
        assertSecure(client().get().uri("/swagger-ui.html").exchange(), true);
    }
}
