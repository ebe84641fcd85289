package org.ccmledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;

/**
 * A full scenario — enrollment, consent, time, corrections, refusals, billing, close, packet, audit reads — with a
 * patient id and a free-text reason that are easy to find: neither appears in the log output, the metrics, or any
 * problem response.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoPhiInLogsHttpTest extends HttpTestBase {

    @Test
    @DisplayName("No patient id, clinical text or token in logs, metrics or problem responses over a full scenario")
    void noPhiAnywhereButTheLedgerAndItsAnswers(CapturedOutput output) {
        String canary = "phicanary" + System.nanoTime();
        String secretReason = "diagnosed-" + canary;
        String practice = "phi-" + System.nanoTime();
        String patients = "/api/v1/practices/" + practice + "/patients";
        String base = patients + "/" + canary;
        // an identity whose name is the canary, recorded with the enrollment, read, then refused with a bad MBI
        String nameCanary = "Zq" + Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "x");
        String identity = PatientMother.IDENTITY.replace("Rivera", nameCanary);
        post(patients, PatientMother.enrollment(canary).replace("\"chronicConditions\"",
                                                                "\"identity\":" + identity + ",\"chronicConditions\""))
                .expectStatus().isCreated();
        client().get().uri(base + "/identity").exchange().expectStatus().isOk();
        client().put().uri(base + "/identity").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(identity.replace("1EG4-TE5-MK73", "1SG4TE5MK73")).exchange().expectStatus().isEqualTo(422)
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain(nameCanary, "1SG4TE5MK73"));
        post(patients, PatientMother.enrollment(canary)).expectStatus().isEqualTo(409)
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain(canary));
        post(base + "/consents", PatientMother.consent()).expectStatus().isCreated();
        post(base + "/care-minutes", PatientMother.careMinutes("x1", "CLINICAL_STAFF", "2026-09-10T14:00:00Z", 25))
                .expectStatus().isCreated();
        post(base + "/care-minutes/x1/void", "{\"reason\":\"" + secretReason + "\"}").expectStatus().is2xxSuccessful();
        post(base + "/care-minutes/x1/void", "{\"reason\":\"" + secretReason + "\"}").expectStatus().isEqualTo(409)
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain(canary, secretReason));
        post(base + "/care-minutes", PatientMother.careMinutes("x2", "NON_CLINICAL", "2026-09-11T14:00:00Z", 25))
                .expectStatus().isEqualTo(422)
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain(canary));
        client().get().uri(patients + "/" + canary + "-missing").exchange().expectStatus().isNotFound()
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain(canary));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                client().get().uri(base + "/billing/2026-09").exchange().expectStatus().isOk());
        client().post().uri("/api/v1/practices/" + practice + "/billing/2026-09/close").exchange()
                .expectStatus().isOk();
        client().get().uri(base + "/history").exchange().expectStatus().isOk();
        client().get().uri(base + "/audit-packet/2026-09").accept(MediaType.APPLICATION_PDF).exchange()
                .expectStatus().isOk();
        client().get().uri("/api/v1/practices/" + practice + "/audit/events?patient=" + canary).exchange()
                .expectStatus().isOk();

        // bearer tokens: accepted, refused as invalid, refused for another practice
        String token = tokens().mint("u-phi", org.ccmledger.support.TestTokens.ALL_ROLES, practice);
        for (String presented : java.util.List.of(token, token + "x")) {
            anonymous().get().uri(base).header("Authorization", "Bearer " + presented).exchange()
                       .expectBody(String.class).value(body -> assertThat(body).doesNotContain(presented));
        }
        anonymous().get().uri("/api/v1/practices/elsewhere/patients/" + canary).header("Authorization",
                                                                                         "Bearer " + token)
                   .exchange().expectStatus().isForbidden()
                   .expectBody(String.class).value(body -> assertThat(body).doesNotContain(canary, token));
        String[] tokenParts = token.split("\\.");

        String metrics = client().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                                 .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).doesNotContain(canary).doesNotContain(tokenParts[1]);
        assertThat(output.getAll()).as("log output").doesNotContain(canary).doesNotContain(secretReason)
                                   .doesNotContain(nameCanary).doesNotContain("1EG4TE5MK73")
                                   .doesNotContain("1SG4TE5MK73")
                                   .doesNotContain(tokenParts[1]).doesNotContain(tokenParts[2]);
    }
}
