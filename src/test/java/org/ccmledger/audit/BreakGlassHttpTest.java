package org.ccmledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.ccmledger.platform.security.Role;
import org.ccmledger.support.HttpTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Emergency access (HIPAA 164.312(a)(2)(ii)): a care-staff user, whose role does not open a patient's history, reads it
 * with {@code X-Break-Glass} when the practice allows care staff to; the read is in the access log with its reason,
 * counted, listed for the compliance officer, and reviewed once, by someone else, as an event.
 */
class BreakGlassHttpTest extends HttpTestBase {

    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };
    private static final String REASON = "Patient unresponsive in clinic, need medication history";

    @Autowired
    MeterRegistry registry;

    private String practice;
    private String patient;

    @BeforeEach
    void practiceAllowingCareStaffToBreakTheGlass() {
        practice = "bg-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        patient = "/api/v1/practices/" + practice + "/patients/pt-1";
        client().put().uri("/api/v1/practices/" + practice + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"placeOfService\":\"11\",\"breakGlassRoles\":[\"care-staff\"]}").exchange()
                .expectStatus().isOk();
        enrollWithConsent(practice, "pt-1");
    }

    private WebTestClient as(String user, Role role) {
        return clientAs(user, Set.of(role));
    }

    private double count(String outcome, String role) {
        var counter = registry.find("ccm.ledger.break.glass").tag("outcome", outcome).tag("role", role).counter();
        return counter == null ? 0 : counter.count();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> reads(String status) {
        Map<String, Object> page = as("co-1", Role.COMPLIANCE_OFFICER).get()
                .uri("/api/v1/practices/" + practice + "/audit/break-glass?status=" + status).exchange()
                .expectStatus().isOk().expectBody(MAP).returnResult().getResponseBody();
        return (List<Map<String, Object>>) page.get("reads");
    }

    @Test
    void careStaffReadsAHistoryTheirRoleDoesNotOpenOnlyByBreakingTheGlass() {
        as("nurse-7", Role.CARE_STAFF).get().uri(patient + "/history").exchange().expectStatus().isForbidden();
        double granted = count("granted", "care-staff");

        as("nurse-7", Role.CARE_STAFF).get().uri(patient + "/history").header("X-Break-Glass", REASON).exchange()
                .expectStatus().isOk();

        assertThat(count("granted", "care-staff")).isGreaterThan(granted);
        // in the access log as break-glass, with the reason, and on the compliance officer's list of open reads
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> open = reads("open");
            assertThat(open).hasSize(1);
            assertThat(open.get(0)).containsEntry("actor", "nurse-7").containsEntry("patientId", "pt-1")
                                   .containsEntry("resource", "history").containsEntry("reason", REASON);
            assertThat(open.get(0).get("review")).isNull();
        });
        Map<String, Object> log = as("co-1", Role.COMPLIANCE_OFFICER).get()
                .uri("/api/v1/practices/" + practice + "/audit/access-log?actor=nurse-7").exchange()
                .expectStatus().isOk().expectBody(MAP).returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) log.get("events");
        assertThat(events.stream().map(e -> (Object) ((Map<?, ?>) e.get("payload")).get("breakGlassReason")).toList())
                          .containsExactly(REASON);
    }

    @Test
    void aRoleThePracticeDoesNotAllowIsRefusedAndNothingIsLogged() {
        double refused = count("refused", "billing");
        as("biller-1", Role.BILLING).get().uri(patient + "/history").header("X-Break-Glass", REASON).exchange()
                .expectStatus().isForbidden().expectBody(MAP)
                .value(p -> assertThat(p).containsEntry("code", "BREAK_GLASS_NOT_ALLOWED"));
        assertThat(count("refused", "billing")).isGreaterThan(refused);
        assertThat(reads("all")).isEmpty();
    }

    @Test
    void breakingTheGlassNeedsAReasonOpensOnlyReadsAndOnlyThePracticesOfTheToken() {
        as("nurse-7", Role.CARE_STAFF).get().uri(patient + "/history").header("X-Break-Glass", "urgent").exchange()
                .expectStatus().isBadRequest().expectBody(MAP)
                .value(p -> assertThat(p).containsEntry("code", "INVALID_BREAK_GLASS_REASON"));
        // a write is never opened so: an admin's disenrollment stays the admin's
        as("nurse-7", Role.CARE_STAFF).post().uri(patient + "/disenrollment").header("X-Break-Glass", REASON)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectStatus().isForbidden();
        // another practice's care staff: the token does not name this practice
        String token = tokens().mint("nurse-9", Set.of(Role.CARE_STAFF), "elsewhere");
        anonymous().get().uri(patient + "/history").headers(h -> h.setBearerAuth(token))
                   .header("X-Break-Glass", REASON).exchange().expectStatus().isForbidden();
        assertThat(reads("all")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachEmergencyReadIsReviewedOnceBySomeoneElse() {
        as("nurse-7", Role.CARE_STAFF).get().uri(patient + "/timeline").header("X-Break-Glass", REASON).exchange()
                .expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> reads("open").size() == 1);
        long index = ((Number) reads("open").get(0).get("accessIndex")).longValue();
        String review = "/api/v1/practices/" + practice + "/audit/break-glass/" + index + "/review";
        String body = "{\"decision\":\"APPROPRIATE\",\"note\":\"Confirmed with the attending physician\"}";

        // the one who broke the glass cannot review it, even holding the role
        String selfToken = tokens().mint("nurse-7", Set.of(Role.COMPLIANCE_OFFICER), practice);
        anonymous().post().uri(review).headers(h -> h.setBearerAuth(selfToken))
                   .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isForbidden()
                   .expectBody(MAP).value(p -> assertThat(p).containsEntry("code", "SELF_REVIEW"));
        as("co-1", Role.COMPLIANCE_OFFICER).post().uri(review).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"decision\":\"APPROPRIATE\"}").exchange().expectStatus().isBadRequest();
        as("co-1", Role.COMPLIANCE_OFFICER).post().uri("/api/v1/practices/" + practice + "/audit/break-glass/"
                                                       + (index + 100_000) + "/review")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isNotFound();

        as("co-1", Role.COMPLIANCE_OFFICER).post().uri(review).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated();
        as("co-2", Role.COMPLIANCE_OFFICER).post().uri(review).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body.replace("APPROPRIATE", "INAPPROPRIATE")).exchange().expectStatus().isEqualTo(409);

        assertThat(reads("open")).isEmpty();
        Map<String, Object> reviewed = (Map<String, Object>) reads("all").get(0).get("review");
        assertThat(reviewed).containsEntry("decision", "APPROPRIATE").containsEntry("reviewedBy", "co-1")
                            .containsEntry("note", "Confirmed with the attending physician");
        // the decision is a fact in the ledger, under the practice's review stream
        assertThat(streamHead("practice:" + practice + ":break-glass-reviews")).isEqualTo(0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aProfileNamesOnlyThePracticesOwnRoles() {
        client().put().uri("/api/v1/practices/" + practice + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"placeOfService\":\"11\",\"breakGlassRoles\":[\"platform-auditor\"]}").exchange()
                .expectStatus().isBadRequest();
        client().get().uri("/api/v1/practices/" + practice + "/profile").exchange().expectStatus().isOk()
                .expectBody(MAP).value(p -> assertThat((Map<String, Object>) p.get("profile"))
                        .containsEntry("breakGlassRoles", List.of("care-staff")));
    }
}
