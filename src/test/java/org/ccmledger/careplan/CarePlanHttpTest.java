package org.ccmledger.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import org.ccmledger.careplan.api.CarePlanId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class CarePlanHttpTest extends CarePlanHttpTestBase {

    private static final Instant ESTABLISHED = Instant.parse("2026-10-01T14:00:00Z");
    private static final Instant REVISED = Instant.parse("2026-10-20T16:30:00Z");

    @BeforeEach
    void enroll() {
        enrollPatient("cp-");
    }

    @Test
    void aRevisionEstablishesThePlanAsVersionOneAndTheReadModelShowsIt() {
        post(base + "/revisions", plan(ESTABLISHED).sharedWithPatientAt(ESTABLISHED.plusSeconds(600)).json())
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.version").isEqualTo(1);

        await().atMost(DEADLINE).untilAsserted(() ->
                client().get().uri(base).exchange()
                        .expectStatus().isOk()
                        .expectBody()
                        .jsonPath("$.practiceId").isEqualTo("p1")
                        .jsonPath("$.patientId").isEqualTo(enrollment.patientId().value())
                        .jsonPath("$.version").isEqualTo(1)
                        .jsonPath("$.versions").isEqualTo(1)
                        .jsonPath("$.establishedAt").isEqualTo("2026-10-01T14:00:00Z")
                        .jsonPath("$.revisedAt").isEqualTo("2026-10-01T14:00:00Z")
                        .jsonPath("$.sharedWithPatientAt").isEqualTo("2026-10-01T14:10:00Z")
                        .jsonPath("$.revisedBy").isEqualTo("dr-who")
                        .jsonPath("$.substantialRevision").isEqualTo(false)
                        .jsonPath("$.problems.length()").isEqualTo(2)
                        .jsonPath("$.problems[0]").isEqualTo("Type 2 diabetes, HbA1c 8.9%")
                        .jsonPath("$.expectedOutcome").isEqualTo(plan(ESTABLISHED).command().expectedOutcome())
                        .jsonPath("$.measurableGoals[1]").isEqualTo("BP below 140/90 at each visit")
                        .jsonPath("$.plannedInterventions.length()").isEqualTo(2)
                        .jsonPath("$.medicationManagement").isEqualTo(plan(ESTABLISHED).command()
                                                                                        .medicationManagement())
                        .jsonPath("$.communityResources[0]").isEqualTo("Meals on wheels")
                        .jsonPath("$.coordination[0]").isEqualTo("Endocrinology referral")
                        .jsonPath("$.reviewSchedule").isEqualTo("Every 3 months or after any hospital stay"));
    }

    @Test
    void p4ASecondRevisionIsVersionTwoAndTheFirstStaysInTheLedger() {
        post(base + "/revisions", plan(ESTABLISHED).json()).expectStatus().isCreated();
        post(base + "/revisions", plan(REVISED).substantial().problems(List.of("Type 2 diabetes", "CKD stage 3"))
                                               .communityResources(List.of()).json())
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.version").isEqualTo(2);

        await().atMost(DEADLINE).untilAsserted(() ->
                client().get().uri(base).exchange()
                        .expectStatus().isOk()
                        .expectBody()
                        .jsonPath("$.version").isEqualTo(2)
                        .jsonPath("$.versions").isEqualTo(2)
                        .jsonPath("$.establishedAt").isEqualTo("2026-10-01T14:00:00Z")
                        .jsonPath("$.revisedAt").isEqualTo("2026-10-20T16:30:00Z")
                        .jsonPath("$.substantialRevision").isEqualTo(true)
                        .jsonPath("$.problems[1]").isEqualTo("CKD stage 3")
                        .jsonPath("$.communityResources.length()").isEqualTo(0));
        assertThat(ledger.events().countDocuments(new org.bson.Document(
                "aggregateIdentifier", new CarePlanId(enrollment).toString()))).isEqualTo(2);
        await().atMost(DEADLINE).untilAsserted(() ->
                client().get().uri("/api/v1/practices/" + enrollment.practiceId() + "/patients/"
                                           + enrollment.patientId()).exchange()
                        .expectStatus().isOk()
                        .expectBody().jsonPath("$.carePlanVersion").isEqualTo(2));
    }

    @Test
    void p4ARevisionDatedBeforeTheVersionInForceIsRefused() {
        post(base + "/revisions", plan(REVISED).json()).expectStatus().isCreated();

        post(base + "/revisions", plan(ESTABLISHED).json())
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.rule").isEqualTo("P4");
    }

    @Test
    void p4VersionsAndTheirOrderSurviveSnapshots() {
        // the HTTP tests snapshot every 5 events, so the later revisions load the plan from a snapshot
        for (int version = 1; version <= 7; version++) {
            post(base + "/revisions", plan(ESTABLISHED.plus(Duration.ofHours(version))).json())
                    .expectStatus().isCreated()
                    .expectBody().jsonPath("$.version").isEqualTo(version);
        }

        post(base + "/revisions", plan(ESTABLISHED.plus(Duration.ofHours(6))).json())
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.rule").isEqualTo("P4");
        await().atMost(DEADLINE).untilAsserted(() ->
                client().get().uri(base).exchange()
                        .expectStatus().isOk()
                        .expectBody()
                        .jsonPath("$.version").isEqualTo(7)
                        .jsonPath("$.versions").isEqualTo(7)
                        .jsonPath("$.establishedAt").isEqualTo("2026-10-01T15:00:00Z")
                        .jsonPath("$.revisedAt").isEqualTo("2026-10-01T21:00:00Z"));
    }

    @Test
    void r10AnIncompletePlanIsRefusedAndWritesNothing() {
        long before = eventsInLedger();

        post(base + "/revisions", plan(ESTABLISHED).measurableGoals(List.of()).json())
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody()
                .jsonPath("$.rule").isEqualTo("R10")
                .jsonPath("$.code").isEqualTo("CARE_PLAN_INCOMPLETE")
                .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("measurableGoals"));
        post(base + "/revisions", plan(ESTABLISHED).expectedOutcome("").json())
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.rule").isEqualTo("R10");
        post(base + "/revisions", plan(ESTABLISHED).sharedWithPatientAt(ESTABLISHED.minusSeconds(60)).json())
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.code").isEqualTo("SHARED_BEFORE_REVISION");

        assertThat(eventsInLedger()).isEqualTo(before);
        client().get().uri(base).exchange().expectStatus().isNotFound();
    }

    @Test
    void malformedRequestsAreRejectedBeforeAnyCommand() {
        long before = eventsInLedger();
        String valid = plan(ESTABLISHED).json();

        post(base + "/revisions", "{\"revisedAt\":").expectStatus().isBadRequest();
        post(base + "/revisions", valid.replace("{\"revisedAt\"", "{\"signedBy\":\"x\",\"revisedAt\""))
                .expectStatus().isBadRequest();
        post(base + "/revisions", valid.replace("\"revisedAt\":\"2026-10-01T14:00:00Z\",", ""))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("revisedAt"));
        post(base + "/revisions", plan(ESTABLISHED).reviewSchedule(null).json()).expectStatus().isBadRequest();
        post(base + "/revisions", plan(ESTABLISHED).coordination(null).json()).expectStatus().isBadRequest();
        post(base + "/revisions", valid.replace("\"substantialRevision\":false", "\"substantialRevision\":null"))
                .expectStatus().isBadRequest();
        post(base + "/revisions", valid.replace("2026-10-01T14:00:00Z", "yesterday")).expectStatus().isBadRequest();
        post(base + "/revisions", plan(ESTABLISHED).expectedOutcome("x".repeat(2001)).json())
                .expectStatus().isBadRequest();
        post(base + "/revisions", plan(ESTABLISHED).problems(Collections.nCopies(101, "problem")).json())
                .expectStatus().isBadRequest();
        anonymous().post().uri(base + "/revisions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(valid).exchange().expectStatus().isUnauthorized();

        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    void aPlanIsRevisedOnlyAsOneself() {
        long before = eventsInLedger();
        post(base + "/revisions", plan(ESTABLISHED).revisedBy("dr-lee").json()).expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_CALLER");
        assertThat(eventsInLedger()).isEqualTo(before);
        // left out, it is the caller
        post(base + "/revisions", plan(ESTABLISHED).revisedBy(null).json()).expectStatus().isCreated();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(
                () -> client().get().uri(base).exchange().expectStatus().isOk().expectBody().jsonPath("$.revisedBy")
                              .isEqualTo("dr-who"));
    }

    @Test
    void aCarePlanForAnUnknownPatientIsNotFoundAndWritesNothing() {
        long before = eventsInLedger();

        post("/api/v1/practices/p1/patients/nobody-" + System.nanoTime() + "/care-plan/revisions",
             plan(ESTABLISHED).json())
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("UNKNOWN_PATIENT");

        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    void thereIsNoCarePlanBeforeTheFirstRevision() {
        client().get().uri(base).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NO_CARE_PLAN");
        client().get().uri("/api/v1/practices/p1/patients/nobody/care-plan").exchange()
                .expectStatus().isNotFound();
    }
}
