package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.ccmledger.billing.readmodel.BillingProjection;
import org.ccmledger.ledger.MongoTokenStore;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The service's processors start without Axon's replay wrapper ({@link PlainStartProcessing}): billing, rebuilt as an
 * upgrade rebuilds it ({@link ReadModelVersions}: emptied, its tokens removed), reads the ledger as live events and
 * bills the same minutes.
 */
class PlainStartProcessingHttpTest extends HttpTestBase {

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    MongoTokenStore tokens;
    @Autowired
    BillingProjection billing;
    @Autowired
    EventStore events;

    @Test
    void billingRebuiltAsAnUpgradeRebuildsItReadsTheLedgerAsLiveEvents() {
        String patient = "plain-" + System.nanoTime();
        String month = "/api/v1/practices/p-plain/patients/" + patient + "/billing/2026-09";
        enrollWithConsent("p-plain", patient);
        post("/api/v1/practices/p-plain/patients/" + patient + "/care-minutes",
             PatientMother.careMinutes(patient + "-e1", "CLINICAL_STAFF", "2026-09-10T14:00:00Z", 12))
                .expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> billsTwelveMinutes(month));
        assertThat(processing).isInstanceOf(PlainStartProcessing.class);

        TrackingEventProcessor processor = processing.eventProcessor(BillingProjection.PROCESSING_GROUP,
                                                                     TrackingEventProcessor.class).orElseThrow();
        processor.shutDown();
        long head = events.createHeadToken().position().orElseThrow();
        billing.reset();
        tokens.deleteTokens(BillingProjection.PROCESSING_GROUP);
        processor.start();

        Set<Boolean> replaying = ConcurrentHashMap.newKeySet();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            processor.processingStatus().values().forEach(status -> replaying.add(status.isReplaying()));
            billsTwelveMinutes(month);
            // every segment at the head again, so that the tests after this one find billing as they expect it
            assertThat(processor.processingStatus().values()).isNotEmpty().allSatisfy(
                    status -> assertThat(status.getCurrentPosition().orElse(-1)).isGreaterThanOrEqualTo(head));
        });
        assertThat(replaying).as("a segment seen replaying while billing was rebuilt").containsOnly(false);
    }

    private void billsTwelveMinutes(String month) {
        client().get().uri(month).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.minutes.counted").isEqualTo(12);
    }
}
