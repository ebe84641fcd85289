package org.ccmledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/** The event log, the access log, a patient's history as of an instant and timeline, through the HTTP API. */
class AuditHttpTest extends HttpTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };

    private String practice;
    private String base;

    @BeforeEach
    void practice() {
        practice = "ap-" + System.nanoTime();
        base = "/api/v1/practices/" + practice;
    }

    private void enrollWithTime(String patient) {
        enrollWithConsent(practice, patient);
        post(base + "/patients/" + patient + "/care-minutes",
             PatientMother.careMinutes("e1", "CLINICAL_STAFF", "2026-10-05T14:00:00Z", 25)).expectStatus().isCreated();
        post(base + "/patients/" + patient + "/care-minutes/e1/correction", "{\"minutes\":30,\"reason\":\"typo\"}")
                .expectStatus().is2xxSuccessful();
    }

    private Map<String, Object> get(String uri) {
        return client().get().uri(uri).exchange().expectStatus().isOk().expectBody(MAP).returnResult()
                       .getResponseBody();
    }

    private static Object nested(Map<String, Object> map, String outer, String inner) {
        return ((Map<?, ?>) map.get(outer)).get(inner);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    private List<Map<String, Object>> awaitEvents(String query, int count) {
        List<Map<String, Object>>[] events = new List[1];
        await().atMost(DEADLINE).until(() -> (events[0] = list(get(base + "/audit/events" + query).get("events")))
                                                     .size() >= count);
        return events[0];
    }

    @Test
    @DisplayName("Event log: a patient's events in ledger order with index, stream, type, recorded time, actor, payload and hash")
    void eventLogShowsEverything() {
        enrollWithTime("pt-1");
        enrollWithConsent(practice, "pt-2");
        List<Map<String, Object>> events = awaitEvents("?patient=pt-1&type=CareMinutesLogged", 1);
        Map<String, Object> logged = events.get(0);
        assertThat(logged).containsEntry("aggregateId", practice + "/pt-1").containsEntry("type", "CareMinutesLogged")
                          .containsEntry("revision", "1").containsEntry("actor", "nurse-1")
                          .containsEntry("sequence", 2).containsEntry("performedAt", "2026-10-05T14:00:00Z");
        assertThat((String) logged.get("hash")).hasSize(64);
        assertThat(((Map<?, ?>) logged.get("payload")).get("minutes")).isEqualTo(25);

        List<Map<String, Object>> all = awaitEvents("?patient=pt-1", 4);
        assertThat(all).extracting(e -> e.get("type")).startsWith("PatientEnrolled", "ConsentRecorded",
                                                                  "CareMinutesLogged", "CareMinutesCorrected");
        assertThat(all).extracting(e -> ((Number) e.get("globalIndex")).longValue()).isSorted();
        assertThat(awaitEvents("?type=PatientEnrolled", 2)).extracting(e -> e.get("aggregateId"))
                .containsExactly(practice + "/pt-1", practice + "/pt-2");
        assertThat(list(get(base + "/audit/events?actor=somebody-else").get("events"))).isEmpty();
        assertThat(list(get(base + "/audit/events?patient=pt-1&performedFrom=2026-10-05T00:00:00Z"
                            + "&performedTo=2026-10-06T00:00:00Z").get("events")))
                .as("both say the time started on 5 October").extracting(e -> e.get("type"))
                .containsExactly("CareMinutesLogged", "CareMinutesCorrected");
        assertThat(list(get(base + "/audit/events?patient=pt-1&recordedTo=2000-01-01T00:00:00Z").get("events")))
                .isEmpty();
    }

    @Test
    @DisplayName("Event log: cursor pages by global index; NDJSON streams the whole result")
    void pagesAndStream() {
        enrollWithTime("pt-p");
        awaitEvents("?patient=pt-p", 4);
        Map<String, Object> first = get(base + "/audit/events?patient=pt-p&limit=2");
        assertThat(list(first.get("events"))).hasSize(2);
        assertThat(((Number) first.get("indexedUpTo")).longValue())
                .as("the page says how far the index was complete").isGreaterThanOrEqualTo(
                        ((Number) list(first.get("events")).get(1).get("globalIndex")).longValue());
        Number cursor = (Number) first.get("nextCursor");
        assertThat(cursor.longValue()).isEqualTo(((Number) list(first.get("events")).get(1).get("globalIndex"))
                                                         .longValue());
        Map<String, Object> second = get(base + "/audit/events?patient=pt-p&limit=2&after=" + cursor);
        assertThat(list(second.get("events"))).extracting(e -> e.get("type"))
                                               .containsExactly("CareMinutesLogged", "CareMinutesCorrected");

        List<String> lines = client().get().uri(base + "/audit/events?patient=pt-p&type=CareMinutesCorrected")
                                     .accept(MediaType.parseMediaType("application/x-ndjson")).exchange()
                                     .expectStatus().isOk().returnResult(String.class).getResponseBody()
                                     .collectList().block();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("\"type\":\"CareMinutesCorrected\"").contains("\"hash\":\"");

        client().get().uri(base + "/audit/events?limit=5000").exchange().expectStatus().isBadRequest();
        client().get().uri(base + "/audit/events?recordedFrom=tuesday").exchange().expectStatus().isBadRequest();
    }

    @Test
    @DisplayName("Access log: every read of patient data is recorded with who, what and purpose; reading the log is too")
    void accessLog() {
        enrollWithConsent(practice, "pt-a");
        client().get().uri(base + "/patients/pt-a").header(AccessLogFilter.PURPOSE_HEADER, "TREAT").exchange();
        clientAs("auditor-9").get().uri(base + "/patients/pt-a/timeline")
                .header(AccessLogFilter.PURPOSE_HEADER, "HCOMPL").exchange();
        client().get().uri(base + "/audit/access-log").exchange().expectStatus().isOk();

        await().atMost(DEADLINE).untilAsserted(() -> {
            List<Map<String, Object>> records = list(get(base + "/audit/access-log?patient=pt-a").get("events"));
            assertThat(records).extracting(r -> nested(r, "payload", "resource"))
                               .containsSubsequence("patient", "timeline");
            assertThat(records).extracting(r -> r.get("actor")).contains("nurse-1", "auditor-9");
            assertThat(records).extracting(r -> nested(r, "payload", "purposeOfUse"))
                               .contains("TREAT", "HCOMPL");
            assertThat(list(get(base + "/audit/access-log").get("events")))
                    .extracting(r -> nested(r, "payload", "resource")).contains("access-log");
        });

        // no spelling of the path skips the log: percent-encoding is read as the router reads it, and a path with
        // ;parameters is refused outright by the security firewall
        clientAs("sneaky-1").get()
                .uri(java.net.URI.create("http://localhost:" + port + base + "/patients/pt%2Da/timeline"))
                .exchange().expectStatus().isOk();
        clientAs("sneaky-1").get()
                .uri(java.net.URI.create("http://localhost:" + port + base + "/patients/pt-a;v=1/timeline"))
                .exchange().expectStatus().isBadRequest();
        // a practice-wide read filtered to one patient is a read of that patient
        clientAs("sneaky-2").get().uri(base + "/audit/events?patient=pt-a&type=ConsentRecorded")
                .exchange().expectStatus().isOk();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(
                list(get(base + "/audit/access-log?patient=pt-a").get("events")))
                .extracting(r -> r.get("actor")).contains("sneaky-1", "sneaky-2"));
        client().get().uri(base + "/audit/events?patient=*").exchange().expectStatus().isBadRequest();

        // without a token nothing is read, so nothing is logged
        anonymous().get().uri(base + "/patients/pt-a").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client().get().uri(base + "/patients/pt-a").header(AccessLogFilter.PURPOSE_HEADER, "because")
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    @DisplayName("History as of an instant: rebuilt from the events recorded by then (R8 consent, P4 corrections)")
    void historyAsOf() {
        String patients = base + "/patients";
        post(patients, PatientMother.enrollment("pt-h")).expectStatus().isCreated();
        Instant beforeConsent = Instant.now();
        post(patients + "/pt-h/consents", PatientMother.consent()).expectStatus().isCreated();
        post(patients + "/pt-h/care-minutes",
             PatientMother.careMinutes("h1", "CLINICAL_STAFF", "2026-10-05T14:00:00Z", 25)).expectStatus().isCreated();
        Instant beforeCorrection = Instant.now();
        post(patients + "/pt-h/care-minutes/h1/correction", "{\"minutes\":10,\"reason\":\"typo\"}")
                .expectStatus().is2xxSuccessful();

        Map<String, Object> early = get(patients + "/pt-h/history?asOf=" + beforeConsent);
        assertThat(early).containsEntry("consentStatus", "NONE").containsEntry("billingPractitioner", PatientMother.NPI)
                         .containsEntry("eventsApplied", 1);
        assertThat(list(early.get("months"))).isEmpty();

        Map<String, Object> then = get(patients + "/pt-h/history?asOf=" + beforeCorrection);
        assertThat(then).containsEntry("consentStatus", "IN_FORCE").containsEntry("eventsApplied", 3);
        assertThat(list(then.get("months"))).singleElement().satisfies(m -> {
            assertThat(m).containsEntry("month", "2026-10");
            assertThat(m.get("minutes")).isEqualTo(Map.of("staff", 25, "billingPractitioner", 0, "counted", 25));
        });

        Map<String, Object> now = get(patients + "/pt-h/history");
        assertThat(list(now.get("months")).get(0).get("minutes"))
                .isEqualTo(Map.of("staff", 10, "billingPractitioner", 0, "counted", 10));
        client().get().uri(patients + "/pt-h/history?asOf=2000-01-01T00:00:00Z").exchange()
                .expectStatus().isNotFound();
    }

    @Test
    @DisplayName("Timeline: every event of the patient in order, a correction linked to what it corrects (P4)")
    void timelineLinksCorrections() {
        enrollWithTime("pt-t");
        awaitEvents("?patient=pt-t", 4);
        List<Map<String, Object>> timeline = client().get().uri(base + "/patients/pt-t/timeline").exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                }).returnResult().getResponseBody();
        assertThat(timeline).extracting(e -> nested(e, "event", "type"))
                            .containsExactly("PatientEnrolled", "ConsentRecorded", "CareMinutesLogged",
                                             "CareMinutesCorrected");
        String loggedId = (String) ((Map<?, ?>) timeline.get(2).get("event")).get("eventId");
        String correctionId = (String) ((Map<?, ?>) timeline.get(3).get("event")).get("eventId");
        assertThat(timeline.get(3)).containsEntry("corrects", loggedId);
        assertThat(timeline.get(2).get("correctedBy")).isEqualTo(List.of(correctionId));
        client().get().uri(base + "/patients/nobody/timeline").exchange().expectStatus().isNotFound();
    }
}
