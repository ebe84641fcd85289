package org.ccmledger.caretime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import org.ccmledger.platform.security.Role;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import com.mongodb.client.model.Filters;

import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class CareMinutesHttpTest extends HttpTestBase {

    private String patient;
    private String base;

    @BeforeEach
    void enroll() {
        patient = "pt-" + System.nanoTime();
        base = "/api/v1/practices/p1/patients/" + patient;
        enrollWithConsent("p1", patient);
    }

    @Test
    void blockHoundIsWatchingNonBlockingThreads() {
        assertThatThrownBy(() -> Mono.fromRunnable(() -> LockSupport.parkNanos(1_000))
                                     .subscribeOn(Schedulers.parallel()).block())
                .hasRootCauseInstanceOf(BlockingOperationError.class);
    }

    @Test
    void loggedMinutesAreAcknowledgedWithTheirEntryIdAndCountedInTheirMonth() {
        post(base + "/care-minutes", PatientMother.careMinutes("entry-1", "CLINICAL_STAFF",
                                                                "2026-10-12T09:00:00-04:00", 25))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.entryId").isEqualTo("entry-1");
        post(base + "/care-minutes", PatientMother.careMinutes("entry-2", "BILLING_PRACTITIONER",
                                                                "2026-10-20T09:00:00-04:00", 10))
                .expectStatus().isCreated();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                client().get().uri(base + "/minutes/2026-10").exchange()
                        .expectStatus().isOk()
                        .expectBody()
                        .jsonPath("$.minutes").isEqualTo(35)
                        .jsonPath("$.entryIds.length()").isEqualTo(2));
    }

    @Test
    @DisplayName("P2: two people logging overlapping time: the minutes view counts what billing counts, each minute once")
    void theMinutesViewAndBillingAgreeOnOverlappingTime() {
        post(base + "/care-minutes", PatientMother.careMinutes("overlap-1", "CLINICAL_STAFF",
                                                                "2026-10-12T09:00:00-04:00", 20))
                .expectStatus().isCreated();
        clientAs("rn-2", java.util.Set.of(Role.CARE_STAFF)).post().uri(base + "/care-minutes")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PatientMother.careMinutes("overlap-2", "CLINICAL_STAFF", "2026-10-12T09:10:00-04:00", 20)
                                        .replace("\"id\":\"nurse-1\",", ""))
                .exchange().expectStatus().isCreated();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> minutes = client().get().uri(base + "/minutes/2026-10").exchange()
                    .expectStatus().isOk().expectBody(MAP).returnResult().getResponseBody();
            Map<String, Object> billing = clientAs("biller-1", java.util.Set.of(Role.BILLING)).get()
                    .uri(base + "/billing/2026-10").exchange()
                    .expectStatus().isOk().expectBody(MAP).returnResult().getResponseBody();
            @SuppressWarnings("unchecked")
            Map<String, Object> billed = (Map<String, Object>) billing.get("minutes");

            assertThat(minutes).containsEntry("counted", 30).containsEntry("minutes", 30)
                               .containsEntry("staff", 30).containsEntry("billingPractitioner", 0);
            assertThat(billed).containsEntry("counted", minutes.get("counted"))
                              .containsEntry("staff", minutes.get("staff"))
                              .containsEntry("billingPractitioner", minutes.get("billingPractitioner"));
        });
    }

    private static final org.springframework.core.ParameterizedTypeReference<Map<String, Object>> MAP =
            new org.springframework.core.ParameterizedTypeReference<>() {
            };

    @Test
    void everyEventCarriesTheActingUserAndTheRequestsCorrelationId() {
        client().post().uri(base + "/care-minutes").contentType(MediaType.APPLICATION_JSON)
                .header("X-Request-Id", "req-42")
                .bodyValue(PatientMother.careMinutes("meta-1", "CLINICAL_STAFF", "2026-10-12T09:00:00Z", 5))
                .exchange().expectStatus().isCreated();

        org.bson.Document event = ledger.events().find(Filters.regex("payload", "\"entryId\":\"meta-1\"")).first();

        assertThat(event.getString("metaData")).contains("\"actor\":\"nurse-1\"", "\"requestId\":\"req-42\"");
    }

    @Test
    @DisplayName("The actor is the token's user: an X-Actor-Id header is ignored, a body naming someone else refused")
    void theActorComesFromTheVerifiedTokenOnly() {
        java.util.Set<Role> careStaff = java.util.Set.of(Role.CARE_STAFF);
        clientAs("rn-12", careStaff).post().uri(base + "/care-minutes").contentType(MediaType.APPLICATION_JSON)
                .header("X-Actor-Id", "dr-impostor")
                .bodyValue(PatientMother.careMinutes("own-1", "CLINICAL_STAFF", "2026-10-12T09:00:00Z", 5)
                                        .replace("\"id\":\"nurse-1\",", ""))
                .exchange().expectStatus().isCreated();
        org.bson.Document event = ledger.events().find(Filters.regex("payload", "\"entryId\":\"own-1\"")).first();
        assertThat(event.getString("metaData")).contains("\"actor\":\"rn-12\"").doesNotContain("dr-impostor");
        assertThat(event.getString("payload")).contains("\"id\":\"rn-12\"");

        long before = eventsInLedger();
        // the body names nurse-1 as performer: rn-12 may not log nurse-1's time
        clientAs("rn-12", careStaff).post().uri(base + "/care-minutes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PatientMother.careMinutes("other-1", "CLINICAL_STAFF", "2026-10-12T10:00:00Z", 5))
                .exchange().expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("OWN_TIME_ONLY");
        // care staff may not log time as the billing practitioner
        clientAs("rn-12", careStaff).post().uri(base + "/care-minutes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PatientMother.careMinutes("other-2", "BILLING_PRACTITIONER", "2026-10-12T10:00:00Z", 5)
                                        .replace("\"id\":\"nurse-1\",", ""))
                .exchange().expectStatus().isForbidden();
        // nor correct or void an entry someone else performed
        clientAs("rn-99", careStaff).post().uri(base + "/care-minutes/own-1/correction")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"minutes\":50,\"reason\":\"more\"}")
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_OWN_ENTRY");
        clientAs("rn-99", careStaff).post().uri(base + "/care-minutes/own-1/void")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\":\"gone\"}")
                .exchange().expectStatus().isForbidden();
        assertThat(eventsInLedger()).isEqualTo(before);

        clientAs("rn-12", careStaff).post().uri(base + "/care-minutes/own-1/void")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\":\"wrong patient\"}")
                .exchange().expectStatus().isCreated();
    }

    @Test
    @DisplayName("A snapshot of an older shape (entries without their performer) is not loaded: the patient rebuilds")
    void anOlderSnapshotIsRebuiltFromTheEvents() {
        for (int i = 1; i <= 6; i++) {
            post(base + "/care-minutes", PatientMother.careMinutes("snap-" + i, "CLINICAL_STAFF",
                                                                   "2026-10-0" + i + "T09:00:00Z", 5))
                    .expectStatus().isCreated();
        }
        String aggregate = "p1/" + patient;
        org.bson.Document snapshot = ledger.snapshots().find(Filters.eq("_id", aggregate)).first();
        assertThat(snapshot).as("the snapshot threshold of the tests is 5").isNotNull();
        String oldShape = snapshot.getString("payload")
                                  .replaceAll("\"performer\":\\{[^}]*\\}", "\"role\":\"CLINICAL_STAFF\"");
        assertThat(oldShape).as("the entries kept their performer").isNotEqualTo(snapshot.getString("payload"));
        ledger.snapshots().updateOne(Filters.eq("_id", aggregate), com.mongodb.client.model.Updates.combine(
                com.mongodb.client.model.Updates.set("payload", oldShape),
                com.mongodb.client.model.Updates.unset("payloadRevision")));

        post(base + "/care-minutes/snap-1/correction", "{\"minutes\":7,\"reason\":\"typo\"}")
                .expectStatus().isCreated();
    }

    @Test
    void p4CorrectionsAndVoidsChangeTheMonthAndKeepTheOriginalInTheLedger() {
        post(base + "/care-minutes", PatientMother.careMinutes("fix-1", "CLINICAL_STAFF", "2026-09-10T14:00:00Z", 10))
                .expectStatus().isCreated();
        post(base + "/care-minutes", PatientMother.careMinutes("fix-2", "CLINICAL_STAFF", "2026-09-11T14:00:00Z", 15))
                .expectStatus().isCreated();

        post(base + "/care-minutes/fix-1/correction", "{\"minutes\":25,\"reason\":\"typed 10 for 25\"}")
                .expectStatus().isCreated();
        post(base + "/care-minutes/fix-2/void", "{\"reason\":\"wrong patient\"}").expectStatus().isCreated();
        post(base + "/care-minutes/fix-2/void", "{\"reason\":\"again\"}").expectStatus().isEqualTo(HttpStatus.CONFLICT);
        post(base + "/care-minutes/nope/void", "{\"reason\":\"?\"}").expectStatus().isNotFound();
        post(base + "/care-minutes/fix-1/correction", "{\"reason\":\"nothing\"}").expectStatus().isBadRequest();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                client().get().uri(base + "/minutes/2026-09").exchange()
                        .expectStatus().isOk()
                        .expectBody().jsonPath("$.minutes").isEqualTo(25)
                        .jsonPath("$.entryIds.length()").isEqualTo(1));
        assertThat(ledger.events().countDocuments(Filters.regex("payload", "\"entryId\":\"fix-1\"")))
                .as("the original and its correction").isEqualTo(2);
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec postWithKey(String key,
                                                                                              String json) {
        return client().post().uri(base + "/care-minutes").contentType(MediaType.APPLICATION_JSON)
                       .header("Idempotency-Key", key).bodyValue(json).exchange();
    }

    @Test
    void aRequestRepeatedWithTheSameIdempotencyKeyGetsTheFirstResponseAndWritesNothingNew() {
        String key = "idem-" + System.nanoTime();
        String body = PatientMother.careMinutes("x", "CLINICAL_STAFF", "2026-10-12T09:00:00Z", 7)
                                   .replace("\"entryId\":\"x\",", "");
        String first = postWithKey(key, body).expectStatus().isCreated()
                                             .expectBody(String.class).returnResult().getResponseBody();
        long after = eventsInLedger();
        String derived = java.util.UUID.nameUUIDFromBytes(
                ("p1/" + patient + "/nurse-1/" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        assertThat(first).as("a generated entry id is derived from the key, so a re-run cannot log twice")
                         .contains(derived);

        postWithKey(key, body).expectStatus().isCreated()
                              .expectHeader().valueEquals("Idempotent-Replayed", "true")
                              .expectBody(String.class).isEqualTo(first);
        assertThat(eventsInLedger()).as("nothing new written").isEqualTo(after);

        postWithKey(key, body.replace("\"minutes\":7", "\"minutes\":8"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        assertThat(eventsInLedger()).isEqualTo(after);

        // another user's same key neither replays the first answer nor takes the entry id its user would derive
        clientAs("rn-12").post().uri(base + "/care-minutes").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key).bodyValue(body.replace("\"id\":\"nurse-1\",", "")).exchange()
                .expectStatus().isCreated().expectHeader().doesNotExist("Idempotent-Replayed")
                .expectBody(String.class).value(answer -> assertThat(answer).doesNotContain(derived));
    }

    @Test
    void aRefusedRequestIsRepeatedAsRefusedWithTheSameKey() {
        String key = "idem-r-" + System.nanoTime();
        String refused = PatientMother.careMinutes("nc", "NON_CLINICAL", "2026-10-12T09:00:00Z", 7);

        postWithKey(key, refused).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        postWithKey(key, refused).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                                 .expectHeader().valueEquals("Idempotent-Replayed", "true")
                                 .expectBody().jsonPath("$.rule").isEqualTo("R3");
        postWithKey("bad key!", refused).expectStatus().isBadRequest();
    }

    @Test
    void anEntryWithoutIdGetsOneGenerated() {
        String body = PatientMother.careMinutes("x", "CLINICAL_STAFF", "2026-10-12T09:00:00-04:00", 5)
                                   .replace("\"entryId\":\"x\",", "");
        post(base + "/care-minutes", body).expectStatus().isCreated()
                                          .expectBody().jsonPath("$.entryId").isNotEmpty();
    }

    @Test
    void nonClinicalTimeIsRefusedUnderR3AndNothingIsWritten() {
        long before = eventsInLedger();

        post(base + "/care-minutes", PatientMother.careMinutes("e-nc", "NON_CLINICAL", "2026-10-12T09:00:00Z", 20))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.rule").isEqualTo("R3").jsonPath("$.code").isEqualTo("NON_CLINICAL_TIME");

        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    void minutesOutOfRangeOrInTheFutureAreRefused() {
        post(base + "/care-minutes", PatientMother.careMinutes("e0", "CLINICAL_STAFF", "2026-10-12T09:00:00Z", 0))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        post(base + "/care-minutes", PatientMother.careMinutes("e1", "CLINICAL_STAFF", "2026-10-12T09:00:00Z", 1441))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        post(base + "/care-minutes", PatientMother.careMinutes("e2", "CLINICAL_STAFF", "2099-01-01T09:00:00Z", 10))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.code").isEqualTo("TIME_IN_FUTURE");
    }

    @Test
    void aSecondEntryWithTheSameIdIsAConflict() {
        String body = PatientMother.careMinutes("dup", "CLINICAL_STAFF", "2026-10-12T09:00:00Z", 5);
        post(base + "/care-minutes", body).expectStatus().isCreated();
        long before = eventsInLedger();

        post(base + "/care-minutes", body).expectStatus().isEqualTo(HttpStatus.CONFLICT);
        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    void unknownPatientIs404() {
        post("/api/v1/practices/p1/patients/nobody/care-minutes",
             PatientMother.careMinutes("e", "CLINICAL_STAFF", "2026-10-12T09:00:00Z", 5))
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("UNKNOWN_PATIENT");
        client().get().uri("/api/v1/practices/p1/patients/nobody/minutes/2026-10").exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void malformedRequestsAre400AndWriteNothing() {
        long before = eventsInLedger();
        String valid = PatientMother.careMinutes("m", "CLINICAL_STAFF", "2026-10-12T09:00:00Z", 5);

        post(base + "/care-minutes", "{not json").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post(base + "/care-minutes", valid.replace("\"minutes\":5", "\"minutes\":\"five\"")).expectStatus().isBadRequest();
        post(base + "/care-minutes", valid.replace("CLINICAL_STAFF", "JANITOR")).expectStatus().isBadRequest();
        post(base + "/care-minutes", valid.replace("\"minutes\":5", "\"minutes\":5,\"billable\":true"))
                .expectStatus().isBadRequest();
        post(base + "/care-minutes", valid.replace("\"startedAt\":\"2026-10-12T09:00:00Z\",", ""))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.detail").value(d ->
                        assertThat(d.toString()).contains("startedAt"));
        anonymous().post().uri(base + "/care-minutes").contentType(MediaType.APPLICATION_JSON).bodyValue(valid)
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client().get().uri(base + "/minutes/2026-13").exchange().expectStatus().isBadRequest();

        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    void anOversizedBodyIs413() {
        String note = "x".repeat(70_000);
        String body = PatientMother.careMinutes("big", "CLINICAL_STAFF", "2026-10-12T09:00:00Z", 5)
                                   .replace("called about refills", note);
        long before = eventsInLedger();

        post(base + "/care-minutes", body).expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    void aBurstOf20ConcurrentEntriesPutsEachAcceptedOneInTheLedgerExactlyOnce() {
        Map<String, Integer> statusByEntry = new ConcurrentHashMap<>();
        // the test's own blocking clients get their own threads, apart from the server's bounded elastic pool
        Scheduler clients = Schedulers.newBoundedElastic(20, 100, "burst-clients");
        Flux.range(0, 20)
            .flatMap(i -> Mono.fromCallable(() -> client().post().uri(base + "/care-minutes")
                                                          .contentType(MediaType.APPLICATION_JSON)
                                                          .bodyValue(PatientMother.careMinutes(
                                                                  "wave-" + i, "CLINICAL_STAFF",
                                                                  "2026-10-12T09:00:00Z", 1))
                                                          .exchange().returnResult(String.class)
                                                          .getStatus().value())
                              .subscribeOn(clients)
                              .doOnNext(status -> statusByEntry.put("wave-" + i, status)), 20)
            .blockLast();
        clients.dispose();

        assertThat(statusByEntry).hasSize(20);
        assertThat(statusByEntry.values()).allMatch(status -> status == 201 || status == 409);
        statusByEntry.forEach((entryId, status) -> assertThat(
                ledger.events().countDocuments(Filters.regex("payload", "\"entryId\":\"" + entryId + "\"")))
                .as(entryId + " answered " + status)
                .isEqualTo(status == 201 ? 1 : 0));
    }
}
