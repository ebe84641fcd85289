package org.ccmledger.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.bson.Document;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import com.mongodb.client.model.Filters;

/**
 * Verify-on-read, end to end: a payload forged in the database (its stored hash left as it was) is never acted on. A
 * command that needs it fails with 503 {@code LEDGER_INTEGRITY}; the processor that meets it stops there; the
 * {@code ledger} health component is DOWN naming the global index and the failure is counted; and once the forgery is
 * undone, everything goes on and bills exactly what the genuine events justify.
 */
class VerifyOnReadHttpTest extends IntegrityHttpSupport {

    private static final String ADJUSTMENTS = "billing-adjustments";

    @Autowired
    private EventProcessingConfiguration processing;

    @Test
    @DisplayName("P4, R19: a forged payload is never billed: no adjustment from it, the processor stops at the alarm, "
                 + "and after the forgery is undone the adjustment is the genuine one")
    void aForgedPayloadIsNeverBilled() {
        String patient = "fg-" + System.nanoTime();
        patientWithClosedSeptember(PRACTICE, patient);
        String base = "/api/v1/practices/" + PRACTICE + "/patients/" + patient;
        Document entry = ledger.events().find(Filters.regex("payload", "\"entryId\":\"" + patient + "-e1\"")).first();
        long forged = entry.get("_id", Number.class).longValue();

        try (Tampering tampering = new Tampering(ledger.events())) {
            // 30 minutes of care, made 95 in the stored payload; the stored hash is left as it was
            tampering.set(forged, "payload", entry.getString("payload").replace("\"minutes\":30", "\"minutes\":95"));

            // a revision of the care plan (its own stream) sets the adjustment policy re-checking the closed month
            post(base + "/care-plan/revisions", PatientMother.carePlan("2026-11-02T15:00:00Z", "2026-11-02T16:00:00Z"))
                    .expectStatus().isCreated();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(health()).containsEntry("status", "DOWN");
                assertThat(ledgerHealth()).containsEntry("status", "DOWN");
                assertThat(number(map(ledgerHealth().get("details")).get("globalIndex"))).isEqualTo(forged);
                assertThat(adjustmentsInError()).as("the processor stops at the forged event").isTrue();
            });
            assertThat(scrape()).containsPattern("ccm_ledger_integrity_failures_total(\\{[^}]*\\})? [1-9]");

            // a command that needs the forged event is refused, and writes nothing
            post(base + "/care-minutes", PatientMother.careMinutes(patient + "-e2", "CLINICAL_STAFF",
                                                                   "2026-09-20T14:00:00Z", 15))
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("LEDGER_INTEGRITY")
                    .jsonPath("$.globalIndex").isEqualTo((int) forged);
            assertThat(adjustmentsOf(patient)).as("nothing is ever issued from the forged payload").isEmpty();
            assertThat(ledger.events().find(Filters.regex("payload", "\"entryId\":\"" + patient + "-e2\"")).first())
                    .as("the refused command wrote nothing").isNull();
        }

        // undone: the processor goes on, the alarm clears, and only what the genuine events justify is billed
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(adjustmentsInError()).isFalse();
            assertThat(ledgerHealth()).containsEntry("status", "UP");
        });
        post(base + "/care-minutes", PatientMother.careMinutes(patient + "-e2", "CLINICAL_STAFF",
                                                               "2026-09-20T14:00:00Z", 15))
                .expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(adjustmentsOf(patient)).hasSize(1));
        Document adjustment = adjustmentsOf(patient).get(0);
        assertThat(adjustment.getString("payload"))
                .as("T = 30 + 15 genuine minutes: 99490 and one 99439, not the 95 + 15 of the forgery")
                .contains("\"code\":\"99439\",\"units\":1").doesNotContain("\"units\":2");
    }

    private List<Document> adjustmentsOf(String patient) {
        return ledger.events().find(Filters.and(
                Filters.eq("aggregateIdentifier", PRACTICE + "/" + patient + "/billing/2026-09"),
                Filters.eq("payloadType", "org.ccmledger.billing.api.BillingAdjustmentIssued")))
                     .into(new java.util.ArrayList<>());
    }

    private boolean adjustmentsInError() {
        StreamingEventProcessor processor = processing.eventProcessor(ADJUSTMENTS, StreamingEventProcessor.class)
                                                      .orElseThrow();
        return processor.processingStatus().values().stream().anyMatch(EventTrackerStatus::isErrorState);
    }

    private Map<String, Object> health() {
        return anonymous().get().uri("/actuator/health").exchange().expectBody(JSON).returnResult()
                          .getResponseBody();
    }

    private Map<String, Object> ledgerHealth() {
        return map(map(health().get("components")).get("ledger"));
    }

    private String scrape() {
        return client().mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build()
                       .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                       .expectBody(String.class).returnResult().getResponseBody();
    }
}
