package org.ccmledger.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.ccmledger.support.FhirValidation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The care-plan history over HTTP, as JSON with diffs and as FHIR R4 CarePlans (R10, P4). */
class CarePlanHistoryHttpTest extends CarePlanHttpTestBase {

    private static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json");
    private static final Instant ESTABLISHED = Instant.parse("2026-10-01T14:00:00Z");
    private static final Instant MINOR = Instant.parse("2026-10-20T16:30:00Z");
    private static final Instant SUBSTANTIAL = Instant.parse("2026-11-03T09:30:00Z");

    @BeforeEach
    void enroll() {
        // an underscore: a valid patient id here, but not in a FHIR id
        enrollPatient("cph_");
    }

    /** Version 1 establishes the plan, version 2 is a minor revision, version 3 a substantial one. */
    private void reviseThreeTimes() {
        post(base + "/revisions", plan(ESTABLISHED).sharedWithPatientAt(ESTABLISHED.plusSeconds(600)).json())
                .expectStatus().isCreated();
        post(base + "/revisions", plan(MINOR).expectedOutcome("HbA1c below 8% by December")
                                             .plannedInterventions(List.of("Monthly nurse call",
                                                                           "Diabetes education",
                                                                           "Monthly nurse call"))
                                             .json())
                .expectStatus().isCreated();
        postAs("dr-lee", base + "/revisions", plan(SUBSTANTIAL).substantial().revisedBy("dr-lee")
                                                   .sharedWithPatientAt(SUBSTANTIAL.plusSeconds(3600))
                                                   .expectedOutcome("HbA1c below 8% by December")
                                                   .problems(List.of("Hypertension", "CKD stage 3"))
                                                   .plannedInterventions(List.of("Monthly nurse call"))
                                                   .communityResources(List.of())
                                                   .coordination(List.of("Endocrinology referral", "Nephrology"))
                                                   .json())
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.version").isEqualTo(3);
    }

    private Map<String, Object> historyJson() {
        return client().get().uri(base + "/history").accept(MediaType.APPLICATION_JSON).exchange()
                       .expectStatus().isOk()
                       .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                       .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                       .returnResult().getResponseBody();
    }

    /** HAPI FHIR builds its model on first use, which may take longer than the client's default 5 s. */
    private WebTestClient fhirClient() {
        return client().mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @Test
    @SuppressWarnings("unchecked")
    void r10p4TheHistoryHasEveryVersionInOrderWithFieldByFieldDiffs() {
        reviseThreeTimes();

        await().atMost(DEADLINE).until(() -> list(historyJson().get("versions")).size() == 3);
        Map<String, Object> history = historyJson();
        assertThat(history).containsEntry("practiceId", "p1")
                           .containsEntry("patientId", enrollment.patientId().value());
        List<Map<String, Object>> versions = list(history.get("versions"));
        assertThat(versions).extracting(v -> v.get("version")).containsExactly(1, 2, 3);
        assertThat(versions).extracting(v -> v.get("revisedAt"))
                            .containsExactly("2026-10-01T14:00:00Z", "2026-10-20T16:30:00Z", "2026-11-03T09:30:00Z");
        assertThat(versions).extracting(v -> v.get("revisedBy")).containsExactly("dr-who", "dr-who", "dr-lee");
        assertThat(versions).extracting(v -> v.get("substantialRevision")).containsExactly(false, false, true);
        assertThat(versions).extracting(v -> v.get("sharedWithPatientAt"))
                            .containsExactly("2026-10-01T14:10:00Z", null, "2026-11-03T10:30:00Z");

        Map<String, Object> established = versions.get(0);
        assertThat(established).containsEntry("diff", null);
        Map<String, Object> content = (Map<String, Object>) established.get("content");
        assertThat(content).containsEntry("problems", List.of("Type 2 diabetes, HbA1c 8.9%", "Hypertension"))
                           .containsEntry("reviewSchedule", "Every 3 months or after any hospital stay")
                           .containsKeys("expectedOutcome", "measurableGoals", "symptomManagement",
                                         "plannedInterventions", "medicationManagement", "communityResources",
                                         "coordination");

        // the minor revision: a text replaced, and an intervention repeated (reordering alone is no change)
        assertThat(list(versions.get(1).get("diff"))).containsExactly(
                Map.of("field", "expectedOutcome",
                       "before", "Stable glucose and blood pressure; prognosis good with adherence",
                       "after", "HbA1c below 8% by December"),
                Map.of("field", "plannedInterventions", "added", List.of("Monthly nurse call"),
                       "removed", List.of()));
        // the substantial revision: lists as added/removed, the unchanged outcome left out
        assertThat(list(versions.get(2).get("diff"))).containsExactly(
                Map.of("field", "problems", "added", List.of("CKD stage 3"),
                       "removed", List.of("Type 2 diabetes, HbA1c 8.9%")),
                Map.of("field", "plannedInterventions", "added", List.of(),
                       "removed", List.of("Diabetes education", "Monthly nurse call")),
                Map.of("field", "communityResources", "added", List.of(), "removed", List.of("Meals on wheels")),
                Map.of("field", "coordination", "added", List.of("Nephrology"), "removed", List.of()));
        assertThat(((Map<String, Object>) versions.get(2).get("content")).get("problems"))
                .isEqualTo(List.of("Hypertension", "CKD stage 3"));
    }

    @Test
    void r10TheHistoryAsFhirIsABundleOfCarePlansThatValidates() {
        reviseThreeTimes();
        await().atMost(DEADLINE).until(() -> list(historyJson().get("versions")).size() == 3);

        String json = fhirClient().get().uri(base + "/history").accept(FHIR_JSON).exchange()
                              .expectStatus().isOk()
                              .expectHeader().contentTypeCompatibleWith(FHIR_JSON)
                              .expectBody(String.class).returnResult().getResponseBody();

        FhirValidation.assertValidBundle(json);
        Bundle bundle = FhirValidation.parseBundle(json);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        List<CarePlan> plans = bundle.getEntry().stream().map(e -> (CarePlan) e.getResource()).toList();
        assertThat(plans).extracting(p -> p.getMeta().getVersionId()).containsExactly("1", "2", "3");
        assertThat(plans).extracting(CarePlan::getStatus).containsExactly(
                CarePlan.CarePlanStatus.REVOKED, CarePlan.CarePlanStatus.REVOKED, CarePlan.CarePlanStatus.ACTIVE);
        assertThat(plans).extracting(p -> p.getIdElement().getIdPart())
                         .containsOnly(FhirCarePlans.resourceId("p1", enrollment.patientId().value()));
        assertThat(plans).allSatisfy(p -> {
            assertThat(p.getSubject().getIdentifier().getValue()).isEqualTo(enrollment.patientId().value());
            assertThat(p.getSubject().hasReference()).isFalse();
            assertThat(p.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-10-01T14:00:00Z");
        });
        assertThat(plans.get(2).getAuthor().getDisplay()).isEqualTo("dr-lee");
        assertThat(plans.get(2).getDescription()).isEqualTo("HbA1c below 8% by December");
        assertThat(json).doesNotContain("\"id\": \"" + enrollment.patientId().value());
    }

    @Test
    void withoutAcceptTheHistoryIsJson() {
        post(base + "/revisions", plan(ESTABLISHED).json()).expectStatus().isCreated();

        await().atMost(DEADLINE).untilAsserted(() ->
                client().get().uri(base + "/history").exchange()
                        .expectStatus().isOk()
                        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                        .expectBody().jsonPath("$.versions.length()").isEqualTo(1)
                        .jsonPath("$.versions[0].diff").isEmpty());
    }

    @Test
    void theHistoryOfAPatientWithoutAPlanOrOfAnUnknownPatientIsNotFound() {
        for (MediaType accept : List.of(MediaType.APPLICATION_JSON, FHIR_JSON)) {
            fhirClient().get().uri(base + "/history").accept(accept).exchange()
                    .expectStatus().isNotFound()
                    .expectBody().jsonPath("$.code").isEqualTo("NO_CARE_PLAN");
            client().get().uri("/api/v1/practices/p1/patients/nobody-" + System.nanoTime() + "/care-plan/history")
                    .accept(accept).exchange()
                    .expectStatus().isNotFound()
                    .expectBody().jsonPath("$.code").isEqualTo("UNKNOWN_PATIENT");
        }
    }
}
