package org.ccmledger.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.ccmledger.support.FhirValidation;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A patient's consent decisions over HTTP, as JSON and as FHIR R4 Consents (R8, P4). */
class ConsentHistoryHttpTest extends HttpTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json");
    private static final String NEXT = "1245319599";

    private String patient;
    private String base;

    @BeforeEach
    void enroll() {
        // an underscore: a valid patient id here, but not in a FHIR id
        patient = "chx_" + System.nanoTime();
        base = "/api/v1/practices/p1/patients/" + patient;
        post("/api/v1/practices/p1/patients", PatientMother.enrollment(patient)).expectStatus().isCreated();
    }

    private static String consent(String decision, String npi, String obtainedAt) {
        return PatientMother.consent(decision, npi, true).replace("2026-01-01T15:00:00Z", obtainedAt);
    }

    /** Accepted then revoked, declined, accepted then ended by a practitioner change, accepted for the next one. */
    private void wholeHistory() {
        post(base + "/consents", PatientMother.consent()).expectStatus().isCreated();
        post(base + "/consents/revocation",
             "{\"revokedAt\":\"2026-05-10T14:00:00-04:00\",\"reason\":\"asked to stop\"}")
                .expectStatus().isCreated();
        post(base + "/consents", consent("DECLINED", PatientMother.NPI, "2026-07-01T15:00:00Z"))
                .expectStatus().isCreated();
        post(base + "/consents", consent("ACCEPTED", PatientMother.NPI, "2026-08-01T15:00:00Z"))
                .expectStatus().isCreated();
        post(base + "/billing-practitioner",
             "{\"billingPractitionerNpi\":\"" + NEXT + "\",\"effectiveAt\":\"2026-09-01T04:00:00Z\"}")
                .expectStatus().isCreated();
        post(base + "/consents", consent("ACCEPTED", NEXT, "2026-09-02T15:00:00Z")).expectStatus().isCreated();
    }

    private List<Map<String, Object>> consents() {
        Map<String, Object> body = client().get().uri(base + "/consents").exchange()
                                           .expectStatus().isOk()
                                           .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                                           .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                                           .returnResult().getResponseBody();
        assertThat(body).containsEntry("practiceId", "p1").containsEntry("patientId", patient);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> consents = (List<Map<String, Object>>) body.get("consents");
        return consents;
    }

    /** HAPI FHIR builds its model on first use, which may take longer than the client's default 5 s. */
    private WebTestClient fhirClient() {
        return client().mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void r8p4EveryDecisionIsListedWithItsStatusAndHowItEnded() {
        wholeHistory();

        await().atMost(DEADLINE).until(() -> consents().size() == 4);
        List<Map<String, Object>> consents = consents();
        assertThat(consents).extracting(c -> c.get("status")).containsExactly(
                "REVOKED", "DECLINED", "ENDED_BY_PRACTITIONER_CHANGE", "IN_FORCE");
        assertThat(consents).extracting(c -> c.get("decision")).containsExactly(
                "ACCEPTED", "DECLINED", "ACCEPTED", "ACCEPTED");
        assertThat(consents).extracting(c -> c.get("billingPractitionerNpi")).containsExactly(
                PatientMother.NPI, PatientMother.NPI, PatientMother.NPI, NEXT);
        assertThat(consents).extracting(c -> c.get("effectiveUntil")).containsExactly(
                "2026-06-01T04:00:00Z", null, "2026-09-01T04:00:00Z", null);

        Map<String, Object> revoked = consents.get(0);
        // P4: the revocation is a new fact; the consent keeps when and how it was obtained
        assertThat(revoked).containsEntry("method", "VERBAL").containsEntry("obtainedAt", "2026-01-01T15:00:00Z")
                           .containsEntry("obtainedBy", "rn-7").containsEntry("documentRef", "note-123")
                           .containsEntry("disclosures", Map.of("availability", true, "costSharing", true,
                                                                "onePractitionerPerMonth", true,
                                                                "rightToStop", true))
                           .containsEntry("revocation", Map.of("revokedAt", "2026-05-10T18:00:00Z",
                                                               "effectiveAt", "2026-06-01T04:00:00Z",
                                                               "reason", "asked to stop"))
                           .containsEntry("practitionerChange", null);
        assertThat(consents.get(2)).containsEntry("practitionerChange",
                                                  Map.of("effectiveAt", "2026-09-01T04:00:00Z",
                                                         "billingPractitionerNpi", NEXT))
                                   .containsEntry("revocation", null);
        assertThat(consents).extracting(c -> (String) c.get("consentId")).doesNotHaveDuplicates()
                            .allSatisfy(id -> assertThat(id).doesNotContain(patient));
    }

    @Test
    void r8TheDecisionsAsFhirAreABundleOfConsentsThatValidates() {
        wholeHistory();
        await().atMost(DEADLINE).until(() -> consents().size() == 4);

        String json = fhirClient().get().uri(base + "/consents").accept(FHIR_JSON).exchange()
                                  .expectStatus().isOk()
                                  .expectHeader().contentTypeCompatibleWith(FHIR_JSON)
                                  .expectBody(String.class).returnResult().getResponseBody();

        FhirValidation.assertValidBundle(json);
        Bundle bundle = FhirValidation.parseBundle(json);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        List<Consent> resources = bundle.getEntry().stream().map(e -> (Consent) e.getResource()).toList();
        assertThat(resources).extracting(Consent::getStatus).containsExactly(
                Consent.ConsentState.INACTIVE, Consent.ConsentState.REJECTED, Consent.ConsentState.INACTIVE,
                Consent.ConsentState.ACTIVE);
        assertThat(resources).extracting(c -> c.getIdElement().getIdPart())
                             .containsExactlyElementsOf(consents().stream().map(c -> (String) c.get("consentId"))
                                                                  .toList());
        assertThat(resources.get(0).getProvision().getPeriod().getEndElement().getValueAsString())
                .isEqualTo("2026-06-01T04:00:00Z");
        assertThat(resources).allSatisfy(c -> {
            assertThat(c.getPatient().getIdentifier().getValue()).isEqualTo(patient);
            assertThat(c.getPatient().hasReference()).isFalse();
        });
    }

    @Test
    void aPatientWithoutConsentHasAnEmptyListAndAnEmptyBundle() {
        await().atMost(DEADLINE).ignoreExceptions().until(() -> consents().isEmpty());

        String json = fhirClient().get().uri(base + "/consents").accept(FHIR_JSON).exchange()
                                  .expectStatus().isOk()
                                  .expectBody(String.class).returnResult().getResponseBody();
        FhirValidation.assertValidBundle(json);
        assertThat(FhirValidation.parseBundle(json).getEntry()).isEmpty();
    }

    @Test
    void theConsentsOfAnUnknownPatientAreNotFound() {
        for (MediaType accept : List.of(MediaType.APPLICATION_JSON, FHIR_JSON)) {
            fhirClient().get().uri("/api/v1/practices/p1/patients/nobody-" + System.nanoTime() + "/consents")
                        .accept(accept).exchange()
                        .expectStatus().isNotFound()
                        .expectBody().jsonPath("$.code").isEqualTo("UNKNOWN_PATIENT");
        }
    }
}
