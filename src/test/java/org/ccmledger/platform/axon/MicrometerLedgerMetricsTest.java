package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.bson.Document;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.MongoTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@code ccm_ledger_gaps_open} counts the gaps a processor still waits for: indexes in its tokens' gaps that hold
 * nothing. A gap decided by a tombstone (or filled by a late event) stays in a stored token until the next event
 * passes it; counting it would fire the open-gaps alert on a quiet ledger after a crash, for as long as it stays quiet.
 */
class MicrometerLedgerMetricsTest {

    private final LedgerFixture ledger = LedgerFixture.inMemory();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void aGapCountsAsOpenOnlyWhileItsSlotHoldsNothing() {
        MongoTokenStore tokens = ledger.tokenStore("node-a");
        tokens.initializeTokenSegments("billing", 2);
        tokens.fetchToken("billing", 0);
        tokens.fetchToken("billing", 1);
        tokens.storeToken(GapAwareTrackingToken.newInstance(10, Set.of(5L, 7L)), "billing", 0);
        tokens.storeToken(GapAwareTrackingToken.newInstance(9, Set.of(7L)), "billing", 1);
        MicrometerLedgerMetrics metrics = new MicrometerLedgerMetrics(registry, ledger.collections());
        metrics.trackProcessor("billing", tokens);

        assertThat(openGaps()).as("5 and 7 hold nothing; 7 is in both segments' tokens").isEqualTo(2.0);

        ledger.collections().events().insertOne(new Document("_id", 5L).append("tombstone", true));
        assertThat(openGaps()).as("5 decided by a tombstone").isEqualTo(1.0);

        ledger.collections().events().insertOne(new Document("_id", 7L).append("streamKey", "late#0"));
        assertThat(openGaps()).as("7 filled by a late event, which the next read delivers").isZero();
    }

    private double openGaps() {
        return registry.get("ccm.ledger.gaps.open").tag("processor", "billing").gauge().value();
    }
}
