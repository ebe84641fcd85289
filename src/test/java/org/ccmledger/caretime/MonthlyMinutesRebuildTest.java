package org.ccmledger.caretime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.bson.Document;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/**
 * The monthly-minutes read model is derived: reset its processor and it is rebuilt from the ledger with the same
 * totals. Also shows that aggregates with more events than the snapshot threshold keep working from snapshots.
 */
class MonthlyMinutesRebuildTest extends HttpTestBase {

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    MongoDatabase database;

    @Test
    void resettingTheProcessorRebuildsIdenticalTotals() {
        String patient = "rebuild-" + System.nanoTime();
        String base = "/api/v1/practices/p9/patients/" + patient;
        enrollWithConsent("p9", patient);
        for (int i = 0; i < 12; i++) {
            post(base + "/care-minutes", PatientMother.careMinutes("r-" + i, "CLINICAL_STAFF",
                                                                   "2026-0" + (7 + i % 3) + "-1" + i % 10
                                                                           + "T14:00:00Z", 5 + i))
                    .expectStatus().isCreated();
        }
        Map<String, Integer> before = Map.of("2026-07", 5 + 8 + 11 + 14, "2026-08", 6 + 9 + 12 + 15,
                                             "2026-09", 7 + 10 + 13 + 16);
        before.forEach((month, total) -> await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(minutes(base, month)).isEqualTo(total)));
        assertThat(database.getCollection("snapshots")
                           .find(Filters.eq("_id", "p9/" + patient)).first())
                .as("14 events with a threshold of 5: the aggregate was snapshotted")
                .isNotNull()
                .extracting(d -> ((Document) d).get("sequenceNumber", Number.class).longValue())
                .satisfies(seq -> assertThat(seq).isGreaterThanOrEqualTo(4L));

        TrackingEventProcessor processor = processing.eventProcessor("monthly-minutes", TrackingEventProcessor.class)
                                                     .orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        before.forEach((month, total) -> await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(minutes(base, month)).isEqualTo(total)));
    }

    private int minutes(String base, String month) {
        return client().get().uri(base + "/minutes/" + month).exchange()
                       .expectStatus().isOk()
                       .expectBody(Map.class).returnResult().getResponseBody()
                       .get("minutes") instanceof Number n ? n.intValue() : -1;
    }
}
