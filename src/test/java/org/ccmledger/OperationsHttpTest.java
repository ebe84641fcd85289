package org.ccmledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.Test;

/** Health with the MongoDB check, and Prometheus metrics from Axon and from the store itself. */
class OperationsHttpTest extends HttpTestBase {

    @Test
    void healthReportsMongo() {
        client().get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.mongo.status").isEqualTo("UP");
    }

    @Test
    void prometheusShowsTheStoreAndAxonMetrics() {
        post("/api/v1/practices/ops/patients", PatientMother.enrollment("ops-1")).expectStatus().isCreated();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape()).contains("ccm_ledger_append_seconds_count", "ccm_ledger_events_appended_total",
                                    "ccm_ledger_gaps_open{processor=\"monthly-minutes\"}",
                                    "ccm_ledger_processor_lag_events{processor=\"monthly-minutes\"}",
                                    "commandBus_allTimer_seconds_count{payloadType=\"EnrollPatient\"}",
                                    "eventProcessor_latency{processorName=\"monthly-minutes\"}",
                                    // AxonMessageMeters: a processor's meters by its name only (Axon's own carry
                                    // payloadType too, and cost a registry lookup per event)
                                    "eventProcessor_successCounter_total{processorName=\"monthly-minutes\"}",
                                    "eventProcessor_capacity{processorName=\"monthly-minutes\"}",
                                    "eventStore_allTimer_seconds_count{payloadType=\"PatientEnrolled\"}",
                                    "commandBus_allTimer_seconds{payloadType=\"EnrollPatient\",quantile=\"0.99\"}"));
        assertThat(scrape()).as("no patient data in metric tags").doesNotContain("ops-1");
    }

    private String scrape() {
        return client().get().uri("/actuator/prometheus").exchange()
                       .expectStatus().isOk()
                       .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void theApiIsPublishedAsOpenApiWithSwaggerUi() {
        anonymous().get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.openapi").exists()
                .jsonPath("$.components.securitySchemes.bearer.scheme").isEqualTo("bearer")
                .jsonPath("$.security[0].bearer").exists()
                .jsonPath("$.paths['/api/v1/practices/{practiceId}/patients']").exists()
                .jsonPath("$.paths['/api/v1/practices/{practiceId}/patients/{patientId}/care-minutes']").exists()
                .jsonPath("$.paths['/api/v1/practices/{practiceId}/patients/{patientId}/consents']").exists();
        client().get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    }

    @Test
    void onlyHealthAndPrometheusAreExposed(@org.springframework.beans.factory.annotation.Value(
            "${management.endpoints.web.exposure.include}") String exposed) {
        assertThat(exposed).isEqualTo("health,prometheus");
        // and whatever else is under /actuator, no token opens it
        anonymous().get().uri("/actuator/env").exchange().expectStatus().isUnauthorized();
        client().get().uri("/actuator/env").exchange().expectStatus().isForbidden();
        client().get().uri("/actuator/beans").exchange().expectStatus().isForbidden();
    }
}
