package org.ccmledger.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.ccmledger.support.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Tenancy: a token acts only for the practices it names. Two practices hold a patient with the same id and a closed
 * month; a token for practice A reads all of A and nothing of B, through every resource type: the patient and what
 * is under it, the event log and the access log (JSON and NDJSON), the practice month (JSON, NDJSON, CSV), the
 * claims exports (CSV, FHIR, X12) and past interchanges, the identity and the profile, audit packets (JSON and PDF), and it writes nothing to B.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenancyHttpTest extends HttpTestBase {

    private static final String A = "ta-" + System.nanoTime();
    private static final String B = "tb-" + System.nanoTime();
    private static final String SAME = "pt-same";

    @BeforeAll
    void twoPracticesWithTheSamePatientId() {
        for (String practice : List.of(A, B)) {
            patientWithClosedSeptember(practice, SAME);
            String p = "/api/v1/practices/" + practice;
            client().put().uri(p + "/profile").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(PatientMother.PRACTICE_PROFILE).exchange().expectStatus().isOk();
            client().put().uri(p + "/patients/" + SAME + "/identity").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(PatientMother.IDENTITY).exchange().expectStatus().isOk();
        }
    }

    private WebTestClient actingFor(String... practices) {
        String token = tokens().mint("u-tenant", TestTokens.ALL_ROLES, practices);
        return anonymous().mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    /** Every read of practice data, with the media type it is asked in. */
    private static List<Map.Entry<String, MediaType>> reads(String practice) {
        String p = "/api/v1/practices/" + practice;
        String pt = p + "/patients/" + SAME;
        MediaType json = MediaType.APPLICATION_JSON;
        MediaType ndjson = MediaType.APPLICATION_NDJSON;
        MediaType fhir = MediaType.parseMediaType("application/fhir+json");
        return List.of(Map.entry(pt, json), Map.entry(pt + "/consents", json), Map.entry(pt + "/consents", fhir),
                       Map.entry(pt + "/care-plan", json), Map.entry(pt + "/care-plan/history", fhir),
                       Map.entry(pt + "/minutes/2026-09", json), Map.entry(pt + "/billing/2026-09", json),
                       Map.entry(pt + "/billing/2026-09/verification", json),
                       Map.entry(pt + "/history?asOf=" + java.time.Instant.now(), json),
                       Map.entry(pt + "/timeline", json), Map.entry(pt + "/audit-packet/2026-09", json),
                       Map.entry(pt + "/audit-packet/2026-09", MediaType.APPLICATION_PDF),
                       Map.entry(pt + "/verification?months=2026-09", json),
                       Map.entry(p + "/billing/2026-09", json), Map.entry(p + "/billing/2026-09", ndjson),
                       Map.entry(p + "/billing/2026-09", MediaType.parseMediaType("text/csv")),
                       Map.entry(p + "/billing/2026-09/verification", json),
                       Map.entry(p + "/claims/2026-09", MediaType.parseMediaType("text/csv")),
                       Map.entry(p + "/claims/2026-09", fhir),
                       Map.entry(p + "/claims/2026-09", MediaType.parseMediaType("application/edi-x12")),
                       Map.entry(p + "/claims/batches", json),
                       Map.entry(p + "/claims/batches/1", MediaType.parseMediaType("application/edi-x12")),
                       Map.entry(pt + "/identity", json), Map.entry(p + "/profile", json),
                       Map.entry(p + "/audit/events", json), Map.entry(p + "/audit/events", ndjson),
                       Map.entry(p + "/audit/events?patient=" + SAME, json),
                       Map.entry(p + "/audit/access-log", json), Map.entry(p + "/audit/access-log", ndjson));
    }

    @Test
    @DisplayName("A token for practice A reads every resource of A")
    void everyReadOfItsOwnPracticeIsServed() {
        for (Map.Entry<String, MediaType> read : reads(A)) {
            actingFor(A).get().uri(read.getKey()).accept(read.getValue()).exchange()
                        .expectStatus().value(status -> assertThat(status).as(read.toString()).isEqualTo(200));
        }
    }

    @Test
    @DisplayName("…and no resource of B: 403 before any handler runs, and nothing is written (not even an access record)")
    void noReadOfAnotherPracticeIsServed() {
        for (Map.Entry<String, MediaType> read : reads(B)) {
            long before = eventsInLedger();
            byte[] body = actingFor(A).get().uri(read.getKey()).accept(read.getValue()).exchange()
                                      .expectStatus().isForbidden()
                                      .expectBody().returnResult().getResponseBody();
            assertThat(new String(body == null ? new byte[0] : body)).doesNotContain(SAME + "-e1");
            assertThat(eventsInLedger()).as(read.toString()).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("No write reaches another practice")
    void noWriteReachesAnotherPractice() {
        String p = "/api/v1/practices/" + B;
        String pt = p + "/patients/" + SAME;
        List<Map.Entry<String, String>> writes = List.of(
                Map.entry(p + "/patients", PatientMother.enrollment("pt-intruder")),
                Map.entry(pt + "/consents/revocation", "{\"revokedAt\":\"2026-11-10T14:00:00Z\",\"reason\":\"x\"}"),
                Map.entry(pt + "/care-minutes", PatientMother.careMinutes("x1", "CLINICAL_STAFF",
                                                                          "2026-10-10T14:00:00Z", 20)),
                Map.entry(pt + "/care-minutes/" + SAME + "-e1/void", "{\"reason\":\"x\"}"),
                Map.entry(pt + "/death", "{\"dateOfDeath\":\"2026-10-02\"}"),
                Map.entry(p + "/billing/2026-10/close", ""));
        for (Map.Entry<String, String> write : writes) {
            long before = eventsInLedger();
            actingFor(A).method(HttpMethod.POST).uri(write.getKey()).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(write.getValue()).exchange().expectStatus().isForbidden();
            assertThat(eventsInLedger()).as(write.getKey()).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("The event log and the access log of A hold only A's events, also for a patient id B has too")
    void theLogsOfAPracticeHoldOnlyItsOwnEvents() {
        for (MediaType type : List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_NDJSON)) {
            for (String log : List.of("/audit/events", "/audit/events?patient=" + SAME, "/audit/access-log")) {
                String body = actingFor(A).get().uri("/api/v1/practices/" + A + log).accept(type).exchange()
                                          .expectStatus().isOk().expectBody(String.class).returnResult()
                                          .getResponseBody();
                assertThat(body).as(log + " " + type).doesNotContain(B);
                if (!log.contains("access-log")) {
                    assertThat(body).as(log + " " + type).contains(A + "/" + SAME);
                }
            }
        }
    }

    @Test
    @DisplayName("A token naming both practices reads both")
    void aTokenForBothPracticesReadsBoth() {
        for (String practice : List.of(A, B)) {
            actingFor(A, B).get().uri("/api/v1/practices/" + practice + "/audit/events").exchange()
                           .expectStatus().isOk();
        }
        actingFor().get().uri("/api/v1/practices/" + A + "/audit/events").exchange().expectStatus().isForbidden();
    }
}
