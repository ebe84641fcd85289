package org.ccmledger.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.CountedEvent;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.export.ClaimsFeed;
import org.ccmledger.billing.export.PracticeMonthCsv;
import org.ccmledger.billing.readmodel.BillingLedger;
import org.ccmledger.billing.readmodel.BillingReads;
import org.ccmledger.billing.rules.BillingRules;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A practice's month closed, verified and exported a batch of patients at a time (issue 16 item 3) gives what the
 * patient-at-a-time reads give: each statement is what one patient's own fold and evaluation make of the ledger, the
 * practice's verification is each patient's verification, and the streamed JSON and CSV are the documents written
 * whole.
 */
class PracticeMonthBatchesHttpTest extends HttpTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String MONTH = "2026-09";

    @Autowired
    private BillingLedger ledger;
    @Autowired
    private BillingRules rules;
    @Autowired
    private BillingReads reads;
    @Autowired
    private ClaimsFeed claims;
    @Autowired
    private JsonMapper json;
    @Autowired
    private org.ccmledger.billing.statement.BillingService billingService;

    private final String practice = "pmx-" + System.nanoTime();
    private final String patients = "/api/v1/practices/" + practice + "/patients";
    private final String billing = "/api/v1/practices/" + practice + "/billing/" + MONTH;

    @Test
    @DisplayName("R12, P4: closing in batches issues what each patient's own evaluation issues; closing again keeps every statement; verification and exports agree with the patient-at-a-time reads")
    void closeVerifyAndExportInBatches() {
        patient("pt-a", 25);   // 99490
        patient("pt-b", 10);   // R2: not billable
        patient("pt-c", 45);   // 99490 + 99439
        patient("pt-d", 30);   // 99490, then adjusted
        await().atMost(DEADLINE).until(() -> reads.patientsOf(practice, YearMonth.parse(MONTH)).size() == 4
                && counted("pt-d") == 30);

        Map<String, Object> closed = close();
        assertThat(statuses(closed)).containsExactly("pt-a ISSUED", "pt-b NOT_BILLABLE", "pt-c ISSUED",
                                                     "pt-d ISSUED");
        for (String patient : List.of("pt-a", "pt-c", "pt-d")) {
            assertIssuedAsOnePatientAlone(patient);
        }
        long events = eventsInLedger();
        Map<String, Object> again = close();
        assertThat(statuses(again)).containsExactly("pt-a ALREADY_CLOSED", "pt-b NOT_BILLABLE",
                                                    "pt-c ALREADY_CLOSED", "pt-d ALREADY_CLOSED");
        assertThat(statementIds(again)).isEqualTo(statementIds(closed));
        assertThat(eventsInLedger()).isEqualTo(events);

        // an adjustment after the close, so that the practice's verification re-checks one too
        post(patients + "/pt-d/care-minutes", PatientMother.careMinutes("d2", "CLINICAL_STAFF",
                                                                       "2026-09-20T14:00:00Z", 20))
                .expectStatus().isCreated();
        await().atMost(DEADLINE).until(() -> ((List<?>) verification("pt-d").get("pendingChanges")).isEmpty()
                && (Integer) verification("pt-d").get("adjustments") == 1);

        Map<String, Object> practiceVerification = client().get().uri(billing + "/verification").exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
        List<Map<String, Object>> alone = new ArrayList<>();
        for (String patient : List.of("pt-a", "pt-c", "pt-d")) {
            alone.add(verification(patient));
        }
        assertThat(practiceVerification).containsEntry("match", true);
        assertThat(practiceVerification.get("statements")).isEqualTo(alone);

        YearMonth month = YearMonth.parse(MONTH);
        JsonNode streamed = json.readTree(get(billing, "application/json"));
        assertThat(streamed).isEqualTo(json.readTree(json.writeValueAsString(reads.practiceMonth(practice, month))));
        assertThat(get(billing, "text/csv")).isEqualTo(PracticeMonthCsv.of(reads.practiceMonth(practice, month)));
        assertThat(get("/api/v1/practices/" + practice + "/claims/" + MONTH, "text/csv"))
                .isEqualTo(ClaimsFeed.csv(claims.claims(practice, month)))
                .contains("REPLACEMENT");
        // the streamed FHIR bundle holds the feed's claims in its order, the replaced original cancelled
        JsonNode fhir = json.readTree(get("/api/v1/practices/" + practice + "/claims/" + MONTH,
                                          "application/fhir+json"));
        List<String> feed = claims.claims(practice, month).claims().stream()
                                  .map(org.ccmledger.billing.export.Claim::claimId).toList();
        List<String> entries = new ArrayList<>();
        List<String> cancelled = new ArrayList<>();
        for (JsonNode entry : fhir.get("entry")) {
            entries.add(entry.get("resource").get("id").asString());
            if ("cancelled".equals(entry.get("resource").get("status").asString())) {
                cancelled.add(entry.get("resource").get("id").asString());
            }
        }
        assertThat(entries).isEqualTo(feed);
        assertThat(cancelled).as("pt-d's original, replaced by its adjustment").hasSize(1);
    }

    @Test
    @DisplayName("P4: a statement is re-evaluated when the adjustment policy sees it only if the patient's streams moved past what it folded; a late entry is adjusted once")
    void statementRecheckedOnlyWhenItsStreamsMoved() {
        patient("pt-e", 25);
        await().atMost(DEADLINE).until(() -> reads.patientsOf(practice, YearMonth.parse(MONTH)).size() == 1
                && counted("pt-e") == 25);
        assertThat(statuses(close())).containsExactly("pt-e ISSUED");
        EnrollmentId enrollment = EnrollmentId.of(practice, "pt-e");
        BillingMonthId monthId = new BillingMonthId(enrollment, YearMonth.parse(MONTH));
        BillingStatementIssued statement = (BillingStatementIssued) ledger.billingStream(monthId).get(0);
        long sequence = statement.enrollmentSequence();
        int version = statement.carePlanVersion();
        assertThat(version).isEqualTo(1);

        // nothing appended since the close's fold: nothing to evaluate again
        assertThat(ledger.unchangedSince(enrollment, sequence, version)).isTrue();
        assertThat(billingService.recheck(statement, org.axonframework.messaging.MetaData.emptyInstance())).isFalse();
        // a fold that stopped short of either stream's end is not taken for the whole
        assertThat(ledger.unchangedSince(enrollment, sequence - 1, version)).isFalse();
        assertThat(ledger.unchangedSince(enrollment, sequence, version - 1)).isFalse();

        // a care-plan revision moves the care-plan stream: re-evaluated, nothing changes on the claim
        post(patients + "/pt-e/care-plan/revisions",
             PatientMother.carePlan("2025-06-02T15:00:00Z", "2025-06-02T16:00:00Z")).expectStatus().isCreated();
        assertThat(ledger.unchangedSince(enrollment, sequence, version)).isFalse();
        assertThat(billingService.recheck(statement, org.axonframework.messaging.MetaData.emptyInstance())).isTrue();
        assertThat(ledger.billingStream(monthId)).hasSize(1);

        // a late entry moves the enrollment stream: re-evaluated by the policy and by a recheck, adjusted once
        post(patients + "/pt-e/care-minutes", PatientMother.careMinutes("e2", "CLINICAL_STAFF",
                                                                       "2026-09-20T14:00:00Z", 20))
                .expectStatus().isCreated();
        assertThat(billingService.recheck(statement, org.axonframework.messaging.MetaData.emptyInstance())).isTrue();
        await().atMost(DEADLINE).until(() -> ledger.billingStream(monthId).size() == 2);
        assertThat(billingService.recheck(statement, org.axonframework.messaging.MetaData.emptyInstance())).isTrue();
        assertThat(ledger.billingStream(monthId)).hasSize(2);
        assertThat(ledger.billingStream(monthId).get(1))
                .isInstanceOf(org.ccmledger.billing.api.BillingAdjustmentIssued.class);
    }

    /** The statement stored is the one a patient's own fold and evaluation, read alone, make now. */
    private void assertIssuedAsOnePatientAlone(String patient) {
        EnrollmentId enrollment = EnrollmentId.of(practice, patient);
        BillingStatementIssued statement = (BillingStatementIssued) ledger.billingStream(
                new BillingMonthId(enrollment, YearMonth.parse(MONTH))).get(0);
        BillingLedger.Folded alone = ledger.fold(enrollment);
        MonthEvaluation evaluation = rules.evaluator().evaluate(alone.record(), YearMonth.parse(MONTH));
        List<CountedEvent> counted = ledger.withHashes(evaluation.eventsCounted());
        assertThat(statement.lines()).isEqualTo(evaluation.lines());
        assertThat(statement.eventsCounted()).isEqualTo(counted);
        assertThat(statement.minutes()).isEqualTo(evaluation.minutes());
        assertThat(statement.family()).isEqualTo(evaluation.family());
        assertThat(statement.enrollmentSequence()).isEqualTo(alone.enrollmentSequence());
        assertThat(statement.carePlanVersion()).isEqualTo(alone.carePlanVersion());
    }

    private void patient(String patientId, int minutes) {
        String enrollment = PatientMother.enrollment(patientId).replace("\"qualifiedMedicareBeneficiary\":false",
                "\"qualifiedMedicareBeneficiary\":false,\"initiatingVisitRequired\":false");
        post(patients, enrollment).expectStatus().isCreated();
        post(patients + "/" + patientId + "/consents",
             PatientMother.consent().replace("2026-01-01T15:00:00Z", "2025-01-01T15:00:00Z"))
                .expectStatus().isCreated();
        String plan = PatientMother.carePlan("2025-01-02T15:00:00Z", "2025-01-02T16:00:00Z");
        await().atMost(DEADLINE).untilAsserted(() -> post(patients + "/" + patientId + "/care-plan/revisions", plan)
                .expectStatus().isCreated());
        post(patients + "/" + patientId + "/care-minutes",
             PatientMother.careMinutes(patientId + "-1", "CLINICAL_STAFF", "2026-09-10T14:00:00Z", minutes))
                .expectStatus().isCreated();
    }

    private int counted(String patientId) {
        Map<String, Object> view = client().get().uri(patients + "/" + patientId + "/billing/" + MONTH).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
        return (Integer) ((Map<?, ?>) view.get("minutes")).get("counted");
    }

    private Map<String, Object> close() {
        return client().post().uri(billing + "/close").exchange().expectStatus().isOk()
                       .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                       }).returnResult().getResponseBody();
    }

    private Map<String, Object> verification(String patientId) {
        return client().get().uri(patients + "/" + patientId + "/billing/" + MONTH + "/verification").exchange()
                       .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                       }).returnResult().getResponseBody();
    }

    private String get(String uri, String accept) {
        return client().get().uri(uri).header("Accept", accept).exchange().expectStatus().isOk()
                       .expectBody(String.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<String> statuses(Map<String, Object> closed) {
        return ((List<Map<String, Object>>) closed.get("patients")).stream()
                .map(p -> p.get("patientId") + " " + p.get("status")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> statementIds(Map<String, Object> closed) {
        return ((List<Map<String, Object>>) closed.get("patients")).stream().map(p -> p.get("statementId")).toList();
    }
}
