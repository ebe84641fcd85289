package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the H2 file backend, the ledger survives a restart of the server: append, stop, start, load, track. */
class LedgerDurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void eventsSnapshotsTokensAndTheCounterSurviveARestart() {
        List<DomainEventMessage<?>> events = TestEvents.counted("patient-1", 0, 5);
        TrackingToken stored;
        try (LedgerFixture ledger = LedgerFixture.onH2(dataDir)) {
            MongoEventStorageEngine engine = ledger.engine();
            engine.appendEvents(events.subList(0, 3));
            engine.appendEvents(events.subList(3, 5));
            engine.storeSnapshot(events.get(2));
            MongoTokenStore tokens = ledger.tokenStore("node");
            tokens.initializeTokenSegments("p", 1);
            tokens.fetchToken("p", 0);
            stored = GapAwareTrackingToken.newInstance(3, java.util.Set.of());
            tokens.storeToken(stored, "p", 0);
        }

        try (LedgerFixture ledger = LedgerFixture.onH2(dataDir)) {
            MongoEventStorageEngine engine = ledger.engine();

            assertThat(engine.readEvents("patient-1").asStream().map(DomainEventMessage::getIdentifier))
                    .containsExactlyElementsOf(events.stream().map(DomainEventMessage::getIdentifier).toList());
            assertThat(engine.readSnapshot("patient-1")).get()
                    .extracting(DomainEventMessage::getSequenceNumber).isEqualTo(2L);
            TrackingToken token = ledger.tokenStore("node").fetchToken("p", 0);
            assertThat(token).isEqualTo(stored);
            List<? extends TrackedEventMessage<?>> rest = engine.readEvents(token, false).toList();
            assertThat(rest).extracting(e -> e.trackingToken().position().getAsLong()).containsExactly(4L, 5L);

            engine.appendEvents(List.of(TestEvents.counted("patient-1", 5)));
            assertThat(ledger.collections().highestReserved()).isEqualTo(6);
            assertThat(new LedgerVerifier(ledger.collections()).verifyLedger())
                    .satisfies(r -> assertThat(r.intact()).isTrue())
                    .satisfies(r -> assertThat(r.eventsChecked()).isEqualTo(6));
        }
    }
}
