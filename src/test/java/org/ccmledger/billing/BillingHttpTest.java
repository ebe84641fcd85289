package org.ccmledger.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.ccmledger.billing.readmodel.BillingProjection;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/**
 * Billing through the HTTP API against the embedded store: the patient-month view, the practice's month in three
 * formats, month close, adjustments after close, verification, and rebuilding the read model.
 */
class BillingHttpTest extends HttpTestBase {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    com.mongodb.client.MongoDatabase database;

    private String practice;
    private String patients;

    @BeforeEach
    void practice() {
        practice = "bp-" + System.nanoTime();
        patients = "/api/v1/practices/" + practice + "/patients";
    }

    /** A patient billable in 2025: consent on 1 Jan 2025, care plan on 2 Jan 2025, no initiating visit needed. */
    void billablePatient(String patientId, boolean qmb) {
        String enrollment = PatientMother.enrollment(patientId)
                                         .replace("\"qualifiedMedicareBeneficiary\":false",
                                                  "\"qualifiedMedicareBeneficiary\":" + qmb
                                                  + ",\"initiatingVisitRequired\":false");
        post(patients, enrollment).expectStatus().isCreated();
        post(patients + "/" + patientId + "/consents",
             PatientMother.consent().replace("2026-01-01T15:00:00Z", "2025-01-01T15:00:00Z"))
                .expectStatus().isCreated();
        String plan = PatientMother.carePlan("2025-01-02T15:00:00Z", "2025-01-02T16:00:00Z");
        await().atMost(DEADLINE).untilAsserted(() -> post(patients + "/" + patientId + "/care-plan/revisions", plan)
                .expectStatus().isCreated());
    }

    void minutes(String patientId, String entryId, String startedAt, int minutes) {
        post(patients + "/" + patientId + "/care-minutes",
             PatientMother.careMinutes(entryId, "CLINICAL_STAFF", startedAt, minutes)).expectStatus().isCreated();
    }

    Map<String, Object> month(String patientId, String month) {
        return client().get().uri(patients + "/" + patientId + "/billing/" + month).exchange()
                       .expectStatus().isOk()
                       .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                       }).returnResult().getResponseBody();
    }

    Map<String, Object> awaitMonth(String patientId, String month, java.util.function.Predicate<Map<String, Object>> ok) {
        Map<String, Object>[] last = new Map[1];
        // 404 until the billing read model has the patient
        await().atMost(DEADLINE).ignoreExceptionsInstanceOf(AssertionError.class)
               .until(() -> ok.test(last[0] = month(patientId, month)));
        return last[0];
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    Map<String, Object> close(String month) {
        return client().post().uri("/api/v1/practices/" + practice + "/billing/" + month + "/close").exchange()
                       .expectStatus().isOk()
                       .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                       }).returnResult().getResponseBody();
    }

    @Test
    @DisplayName("R2, R3, P2: the patient-month shows family, lines, amounts as strings, minutes and evidence")
    void patientMonthView() {
        billablePatient("pt-a", false);
        minutes("pt-a", "a1", "2025-03-10T14:00:00Z", 25);
        minutes("pt-a", "a2", "2025-03-10T14:15:00Z", 25);

        Map<String, Object> view = awaitMonth("pt-a", "2025-03", v -> !list(v.get("lines")).isEmpty());
        assertThat(view).containsEntry("month", "2025-03").containsEntry("patientId", "pt-a")
                        .containsEntry("family", "NON_COMPLEX").containsEntry("status", "OPEN")
                        .containsEntry("totalAmount", "106.42").containsEntry("coinsurance", "21.28")
                        .containsEntry("dateOfService", "2025-03-31").containsEntry("ruleVersion", "ccm-rules-2025.2");
        assertThat(list(view.get("lines"))).containsExactly(
                Map.of("code", "99490", "units", 1, "unitAmount", "60.49", "amount", "60.49",
                       "servicedDate", "2025-03-31", "basis", "1.87 RVU × 32.3465 = 60.49 ([S3] S24)"),
                Map.of("code", "99439", "units", 1, "unitAmount", "45.93", "amount", "45.93",
                       "servicedDate", "2025-03-31", "basis", "stated 45.93 ([S3] S24)"));
        assertThat(view.get("minutes")).isEqualTo(Map.of("staff", 40, "billingPractitioner", 0, "counted", 40));
        assertThat(view.get("blockers")).isEqualTo(List.of());
        assertThat((List<?>) view.get("eventsCounted")).hasSize(5);
        assertThat(list(view.get("alternatives"))).extracting(a -> a.get("family"))
                                                  .containsExactlyInAnyOrder("PRACTITIONER", "COMPLEX");
    }

    @Test
    @DisplayName("R1: a month without enough time shows the R2 blocker; an unknown patient is a 404 problem")
    void blockersAndProblems() {
        billablePatient("pt-b", false);
        minutes("pt-b", "b1", "2025-01-31T20:00:00Z", 12);
        minutes("pt-b", "b2", "2025-02-01T15:00:00Z", 10);
        Map<String, Object> feb = awaitMonth("pt-b", "2025-02", v -> ((Map<?, ?>) v.get("minutes")).get("counted")
                .equals(10));
        assertThat(list(feb.get("blockers"))).extracting(b -> b.get("rule")).containsExactly("R2");
        assertThat(list(feb.get("lines"))).isEmpty();
        assertThat(feb).containsEntry("totalAmount", "0.00");

        client().get().uri(patients + "/nobody/billing/2025-02").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client().get().uri(patients + "/pt-b/billing/2025-13").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    @DisplayName("The practice's month as JSON, streamed NDJSON and CSV: a row per patient, totals by code and practitioner")
    void practiceMonthInThreeFormats() {
        billablePatient("pt-1", false);
        billablePatient("pt-2", false);
        minutes("pt-1", "x1", "2025-04-10T14:00:00Z", 45);
        minutes("pt-2", "x2", "2025-04-11T14:00:00Z", 10);
        String base = "/api/v1/practices/" + practice + "/billing/2025-04";
        awaitMonth("pt-2", "2025-04", v -> ((Map<?, ?>) v.get("minutes")).get("counted").equals(10));
        awaitMonth("pt-1", "2025-04", v -> !list(v.get("lines")).isEmpty());

        Map<String, Object> json = client().get().uri(base).accept(MediaType.APPLICATION_JSON).exchange()
                                           .expectStatus().isOk()
                                           .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                                           }).returnResult().getResponseBody();
        assertThat(list(json.get("patients"))).extracting(p -> p.get("patientId")).containsExactly("pt-1", "pt-2");
        assertThat(list(json.get("totalsByCode"))).containsExactly(
                Map.of("code", "99439", "units", 1, "amount", "45.93"),
                Map.of("code", "99490", "units", 1, "amount", "60.49"));
        assertThat(list(json.get("totalsByPractitioner"))).containsExactly(
                Map.of("billingPractitioner", PatientMother.NPI, "patients", 1, "amount", "106.42"));
        assertThat(json).containsEntry("totalAmount", "106.42");

        List<String> ndjson = client().get().uri(base).accept(MediaType.parseMediaType("application/x-ndjson"))
                                      .exchange().expectStatus().isOk()
                                      .expectHeader().contentTypeCompatibleWith("application/x-ndjson")
                                      .returnResult(String.class).getResponseBody().collectList().block();
        assertThat(ndjson).hasSize(2);
        assertThat(ndjson.get(0)).contains("\"patientId\":\"pt-1\"").contains("\"totalAmount\":\"106.42\"");
        assertThat(ndjson.get(1)).contains("\"patientId\":\"pt-2\"").contains("R2");

        String csv = client().get().uri(base).accept(MediaType.parseMediaType("text/csv")).exchange()
                             .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv.split("\r\n")).hasSize(4);
        assertThat(csv).contains("2025-04,pt-1," + PatientMother.NPI + ",NON_COMPLEX,OPEN,99490,1,60.49,60.49,"
                                 + "2025-04-30,106.42,");
        assertThat(csv).contains("2025-04,pt-2,");
    }

    @Test
    @DisplayName("R12, P4, R19, R14: close issues statements once; a late entry and a correction adjust; verification matches (2026: 99439 has no known amount)")
    void closeAdjustVerify() {
        billablePatient("pt-c", false);
        minutes("pt-c", "c1", "2026-09-10T14:00:00Z", 25);
        awaitMonth("pt-c", "2026-09", v -> !list(v.get("lines")).isEmpty());

        Map<String, Object> closed = close("2026-09");
        assertThat(list(closed.get("patients"))).singleElement()
                                                .satisfies(p -> assertThat(p).containsEntry("status", "ISSUED"));
        String statementId = (String) list(closed.get("patients")).get(0).get("statementId");
        long events = eventsInLedger();
        Map<String, Object> again = close("2026-09");
        assertThat(list(again.get("patients")).get(0)).containsEntry("status", "ALREADY_CLOSED")
                                                      .containsEntry("statementId", statementId);
        assertThat(eventsInLedger()).as("closing twice changes nothing").isEqualTo(events);
        awaitMonth("pt-c", "2026-09", v -> "CLOSED".equals(v.get("status")));
        java.time.Instant knownAtClose = java.time.Instant.now();

        Map<String, Object> verification = verification("pt-c", "2026-09");
        assertThat(verification).containsEntry("match", true).containsEntry("upToDate", true)
                                .containsEntry("statementId", statementId);
        assertThat((Integer) verification.get("eventsChecked")).isGreaterThanOrEqualTo(4);

        // edge case 5: a late entry adds a unit of 99439 on a replacement claim
        minutes("pt-c", "c2", "2026-09-20T14:00:00Z", 20);
        Map<String, Object> adjusted = awaitMonth("pt-c", "2026-09", v -> "ADJUSTED".equals(v.get("status")));
        assertThat(list(adjusted.get("billedLines"))).extracting(l -> l.get("code"))
                                                     .containsExactly("99490", "99439");
        assertThat(adjusted.get("statementId")).isEqualTo(statementId);
        assertThat(adjusted.get("adjustmentIds")).isEqualTo(List.of(statementId + "-a1"));

        // edge case 6: a correction below the threshold is an overpayment to return within 60 days
        post(patients + "/pt-c/care-minutes/c1/correction", "{\"minutes\":5,\"reason\":\"mistyped\"}")
                .expectStatus().is2xxSuccessful();
        post(patients + "/pt-c/care-minutes/c2/void", "{\"reason\":\"wrong patient\"}")
                .expectStatus().is2xxSuccessful();
        Map<String, Object> refunded = awaitMonth("pt-c", "2026-09",
                                                  v -> list(v.get("billedLines")).isEmpty());
        assertThat((List<?>) refunded.get("adjustmentIds")).hasSizeGreaterThanOrEqualTo(2);
        Map<String, Object> after = verification("pt-c", "2026-09");
        assertThat(after).containsEntry("match", true).containsEntry("upToDate", true);

        // what did we know when we billed? the month as the ledger knew it at close, next to what we know now
        Map<String, Object> atClose = client().get().uri(patients + "/pt-c/billing/2026-09?asKnownAt=" + knownAtClose)
                                              .exchange().expectStatus().isOk()
                                              .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                                              }).returnResult().getResponseBody();
        assertThat(atClose).containsEntry("status", "CLOSED").containsEntry("totalAmount", "66.13");
        assertThat(atClose.get("minutes")).isEqualTo(Map.of("staff", 25, "billingPractitioner", 0, "counted", 25));
        assertThat(list(atClose.get("billedLines"))).extracting(l -> l.get("code")).containsExactly("99490");
        assertThat(month("pt-c", "2026-09")).containsEntry("status", "ADJUSTED").containsEntry("totalAmount", "0.00");
        client().get().uri(patients + "/pt-c/billing/2026-09?asKnownAt=2000-01-01T00:00:00Z").exchange()
                .expectStatus().isNotFound();
        client().get().uri(patients + "/pt-c/billing/2026-09?asKnownAt=yesterday").exchange()
                .expectStatus().isBadRequest();

        String claims = client().get().uri("/api/v1/practices/" + practice + "/claims/2026-09")
                                .accept(MediaType.parseMediaType("text/csv")).exchange()
                                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(claims).contains(statementId + ",ORIGINAL,,pt-c," + PatientMother.NPI + ",2026-09,"
                                    + statementId + "-1,1,99490,1,66.13,66.13,2026-09-30,11,E11.9 I10")
                          .contains(statementId + "-a1-2,2,99439,1,50.44,50.44,2026-09-30,11,E11.9 I10,CCM,")
                          .contains(statementId + "-a1,REPLACEMENT," + statementId + ",pt-c")
                          .contains(",VOID,");
    }

    @Test
    @DisplayName("R12: a month that has not ended cannot be closed (422)")
    void openMonthCannotBeClosed() {
        client().post().uri("/api/v1/practices/" + practice + "/billing/2099-01/close").exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.rule").isEqualTo("R12");
    }

    @Test
    @DisplayName("Resetting the billing processor rebuilds identical totals")
    void resetRebuildsIdenticalTotals() {
        billablePatient("pt-r", false);
        minutes("pt-r", "r1", "2025-06-10T14:00:00Z", 45);
        minutes("pt-r", "r2", "2025-07-10T14:00:00Z", 21);
        Map<String, Object> june = awaitMonth("pt-r", "2025-06", v -> !list(v.get("lines")).isEmpty());
        Map<String, Object> july = awaitMonth("pt-r", "2025-07", v -> !list(v.get("lines")).isEmpty());

        StreamingEventProcessor processor = processing.eventProcessor(BillingProjection.PROCESSING_GROUP,
                                                                      StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(month("pt-r", "2025-06")).isEqualTo(june);
            assertThat(month("pt-r", "2025-07")).isEqualTo(july);
        });
    }

    @Test
    @DisplayName("A patient's record is stored as JSON bytes; one stored as JSON text (read-model version 2) still reads")
    void recordStoredAsBytesAndVersionTwoTextStillReads() {
        billablePatient("pt-v", false);
        minutes("pt-v", "v1", "2025-06-10T14:00:00Z", 45);
        Map<String, Object> june = awaitMonth("pt-v", "2025-06", v -> !list(v.get("lines")).isEmpty());
        var records = database.getCollection("rm_billing_patients");
        String key = practice + "/pt-v";
        org.bson.Document stored = records.find(com.mongodb.client.model.Filters.eq("_id", key)).first();
        assertThat(stored.get("record")).isInstanceOf(org.bson.types.Binary.class);

        String text = new String(stored.get("record", org.bson.types.Binary.class).getData(),
                                 java.nio.charset.StandardCharsets.UTF_8);
        records.replaceOne(com.mongodb.client.model.Filters.eq("_id", key),
                           new org.bson.Document("_id", key).append("record", text));

        assertThat(month("pt-v", "2025-06")).isEqualTo(june);
    }

    @Test
    @DisplayName("Claims feed: FHIR R4 Claim bundle and X12 837P of the closed month; a tampered event fails verification")
    void claimsFeedAndTamperEvidence() {
        billablePatient("pt-f", false);
        minutes("pt-f", "f1", "2025-08-10T14:00:00Z", 45);
        awaitMonth("pt-f", "2025-08", v -> !list(v.get("lines")).isEmpty());
        String statementId = (String) list(close("2025-08").get("patients")).get(0).get("statementId");
        String claims = "/api/v1/practices/" + practice + "/claims/2025-08";

        String fhir = client().get().uri(claims).accept(MediaType.parseMediaType("application/fhir+json")).exchange()
                              .expectStatus().isOk()
                              .expectHeader().contentTypeCompatibleWith("application/fhir+json")
                              .expectBody(String.class).returnResult().getResponseBody();
        org.hl7.fhir.r4.model.Bundle bundle = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                .parseResource(org.hl7.fhir.r4.model.Bundle.class, fhir);
        org.hl7.fhir.r4.model.Claim claim = (org.hl7.fhir.r4.model.Claim) bundle.getEntryFirstRep().getResource();
        assertThat(claim.getIdElement().getIdPart()).isEqualTo(statementId);
        assertThat(claim.getItem()).extracting(i -> i.getProductOrService().getCodingFirstRep().getCode())
                                   .containsExactly("99490", "99439");
        assertThat(claim.getItemFirstRep().getServicedDateType().getValueAsString()).isEqualTo("2025-08-31");
        assertThat(claim.getDiagnosis()).extracting(d -> d.getDiagnosisCodeableConcept().getCodingFirstRep()
                                                          .getCode()).containsExactly("E11.9", "I10");
        String again = client().get().uri(claims).accept(MediaType.parseMediaType("application/fhir+json"))
                               .exchange().expectBody(String.class).returnResult().getResponseBody();
        assertThat(withoutCreated(again)).as("exporting twice gives the same claims, created at each export")
                                         .isEqualTo(withoutCreated(fhir));

        client().put().uri("/api/v1/practices/" + practice + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PatientMother.PRACTICE_PROFILE).exchange().expectStatus().isOk();
        client().put().uri(patients + "/pt-f/identity").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PatientMother.IDENTITY).exchange().expectStatus().isOk();
        String x12 = client().get().uri(claims).accept(MediaType.parseMediaType("application/edi-x12")).exchange()
                             .expectStatus().isOk()
                             .expectBody(String.class).returnResult().getResponseBody();
        org.ccmledger.support.X12Reading.Read read = org.ccmledger.support.X12Reading.read(x12);
        assertThat(read.problems()).isEmpty();
        assertThat(read.all("CLM")).singleElement().satisfies(clm -> assertThat(clm.element(1)).hasSize(17));
        assertThat(x12).startsWith("ISA*").contains("SV1*HC:99490*").contains("SV1*HC:99439*")
                       .contains("DTP*472*D8*20250831");

        // an auditor's check: change a counted event in the store behind the ledger's back
        var logged = com.mongodb.client.model.Filters.and(
                com.mongodb.client.model.Filters.eq("aggregateIdentifier", practice + "/pt-f"),
                com.mongodb.client.model.Filters.eq("payloadType",
                                                    "org.ccmledger.caretime.api.CareMinutesLogged"));
        org.bson.Document event = ledger.events().find(logged).first();
        ledger.events().updateOne(com.mongodb.client.model.Filters.eq("_id", event.get("_id")),
                                  com.mongodb.client.model.Updates.set(
                                          "payload", event.getString("payload").replace("\"minutes\":45",
                                                                                        "\"minutes\":95")));
        Map<String, Object> verification = verification("pt-f", "2025-08");
        assertThat(verification).containsEntry("match", false);
        assertThat(list(verification.get("differences"))).extracting(d -> d.get("field"))
                .contains("event " + event.getString("eventIdentifier"), "lines");

        // put it back: the shared test store stays intact, and the statement verifies again
        ledger.events().replaceOne(com.mongodb.client.model.Filters.eq("_id", event.get("_id")), event);
        assertThat(verification("pt-f", "2025-08")).containsEntry("match", true);
    }

    private static String withoutCreated(String fhir) {
        return fhir.replaceAll("\"created\": \"[^\"]*\"", "\"created\": \"…\"");
    }

    Map<String, Object> verification(String patientId, String month) {
        return client().get().uri(patients + "/" + patientId + "/billing/" + month + "/verification").exchange()
                       .expectStatus().isOk()
                       .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                       }).returnResult().getResponseBody();
    }
}
