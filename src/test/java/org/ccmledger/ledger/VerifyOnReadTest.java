package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Every way events leave the store checks them first: aggregate loading, tracking and key lookups refuse a forged
 * event with a {@link LedgerIntegrityException} naming its global index, report it to the metrics, and go on once it
 * verifies again.
 */
class VerifyOnReadTest {

    private LedgerFixture ledger;
    private final List<LedgerIntegrityException> reported = new ArrayList<>();
    private final List<Long> confirmed = new ArrayList<>();
    private final LedgerMetrics metrics = new LedgerMetrics() {
        @Override
        public void integrityFailure(LedgerIntegrityException failure) {
            reported.add(failure);
        }

        @Override
        public void integrityConfirmed(long globalIndex) {
            confirmed.add(globalIndex);
        }

        @Override
        public boolean integrityFailuresOutstanding() {
            return !reported.isEmpty();
        }
    };
    private MongoEventStorageEngine testSubject;

    @BeforeEach
    void setUp() {
        ledger = LedgerFixture.inMemory();
        testSubject = ledger.engineBuilder().metrics(metrics).build();
        testSubject.appendEvents(TestEvents.counted("a", 0, 3)); // 1 to 3
        testSubject.appendEvents(TestEvents.counted("b", 0, 3)); // 4 to 6
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    /** Changes a stored payload, its hash left as it was; returns the original to put back. */
    private Document forge(long globalIndex) {
        Document original = ledger.collections().events().find(Filters.eq("_id", globalIndex)).first();
        ledger.collections().events().updateOne(Filters.eq("_id", globalIndex), Updates.set(
                "payload", original.getString("payload").replace("note", "forged")));
        return original;
    }

    private void putBack(Document original) {
        ledger.collections().events().replaceOne(Filters.eq("_id", original.get("_id")), original);
    }

    @Test
    void aForgedEventIsNotLoadedIntoItsAggregate() {
        forge(2);

        assertThatThrownBy(() -> ledger.engineBuilder().metrics(metrics).build().readEvents("a").asStream().toList())
                .isInstanceOfSatisfying(LedgerIntegrityException.class, e -> {
                    assertThat(e.globalIndex()).isEqualTo(2);
                    assertThat(e.problem()).isEqualTo(LedgerVerifier.Problem.HASH_MISMATCH);
                    assertThat(e.getMessage()).contains("global index 2").doesNotContain("forged");
                });
        assertThat(reported).extracting(LedgerIntegrityException::globalIndex).containsExactly(2L);
    }

    @Test
    void trackingDeliversWhatComesBeforeAForgedEventAndStopsAtIt() {
        Document original = forge(5);
        MongoEventStorageEngine reader = ledger.engineBuilder().metrics(metrics).build();

        List<TrackedEventMessage<?>> delivered = new ArrayList<>();
        TrackingToken token = null;
        try {
            reader.readEvents(token, false).forEach(delivered::add);
        } catch (LedgerIntegrityException e) {
            assertThat(e.globalIndex()).isEqualTo(5);
        }
        assertThat(delivered).extracting(m -> m.trackingToken().position().orElseThrow())
                             .containsExactly(1L, 2L, 3L, 4L);
        TrackingToken before = delivered.get(delivered.size() - 1).trackingToken();
        assertThatThrownBy(() -> reader.readEvents(before, false).findFirst())
                .isInstanceOf(LedgerIntegrityException.class);

        putBack(original);
        assertThat(reader.readEvents(before, false).map(m -> m.trackingToken().position().orElseThrow()).toList())
                .containsExactly(5L, 6L);
        assertThat(confirmed).contains(5L);
    }

    @Test
    void anEventVerifiedByATrackingReadMomentsAgoIsHandedOnAsVerifiedAndReadAndVerifiedAgainLater() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        MongoEventStorageEngine reader = ledger.engineBuilder().metrics(metrics).clock(clock).build();
        List<Object> verified = payloads(reader);
        assertThat(verified).hasSize(6);

        forge(5);
        // another segment reading the same events a moment later: the events as verified, the store not read again
        clock.advance(Duration.ofMillis(RecentEvents.FRESH_MILLIS - 1));
        assertThat(payloads(reader)).isEqualTo(verified);
        assertThat(reported).isEmpty();

        // later, read and verified again: the forgery is found
        clock.advance(Duration.ofMillis(1));
        assertThatThrownBy(() -> payloads(reader)).isInstanceOf(LedgerIntegrityException.class);
        assertThat(reported).isNotEmpty().extracting(LedgerIntegrityException::globalIndex).containsOnly(5L);
    }

    private static List<Object> payloads(MongoEventStorageEngine reader) {
        return reader.readEvents(null, false).map(TrackedEventMessage::getPayload).map(Object.class::cast).toList();
    }

    @Test
    void anEventWhosePredecessorWasRewrittenAndRehashedIsRefusedByItsLink() {
        Document original = ledger.collections().events().find(Filters.eq("_id", 5L)).first();
        Document forged = new Document(original).append("payload", original.getString("payload")
                                                                            .replace("note", "forged"));
        ledger.collections().events().updateOne(Filters.eq("_id", 5L), Updates.combine(
                Updates.set("payload", forged.getString("payload")), Updates.set("hash", EventHash.rehash(forged))));

        assertThatThrownBy(() -> new LedgerLookup(ledger.collections(), metrics).stream("b", null))
                .isInstanceOfSatisfying(LedgerIntegrityException.class, e -> {
                    assertThat(e.globalIndex()).isEqualTo(6);
                    assertThat(e.problem()).isEqualTo(LedgerVerifier.Problem.CHAIN_BROKEN);
                });
    }

    @Test
    void anAggregateWhoseLastEventWasDeletedIsNotLoadedAndNothingIsAppendedInItsPlace() {
        ledger.collections().events().deleteOne(Filters.eq("_id", 3L));
        MongoEventStorageEngine fresh = ledger.engineBuilder().metrics(metrics).build();

        assertThatThrownBy(() -> fresh.readEvents("a").asStream().toList())
                .isInstanceOfSatisfying(LedgerIntegrityException.class, e -> {
                    assertThat(e.globalIndex()).isEqualTo(3);
                    assertThat(e.problem()).isEqualTo(LedgerVerifier.Problem.STREAM_TRUNCATED);
                });
        assertThatThrownBy(() -> new LedgerLookup(ledger.collections(), metrics).stream("a", null))
                .isInstanceOf(LedgerIntegrityException.class);
        // a prefix as recorded by some instant is not the whole stream: it has no head to reach
        assertThat(new LedgerLookup(ledger.collections(), metrics).stream("a", java.time.Instant.now()))
                .hasSize(2);
    }

    @Test
    void anAggregateWithAnEventDeletedInTheMiddleIsNotLoaded() {
        testSubject.appendEvents(TestEvents.counted("a", 3, 2)); // 7, 8
        ledger.collections().events().deleteOne(Filters.eq("_id", 2L));
        MongoEventStorageEngine fresh = ledger.engineBuilder().metrics(metrics).build();

        assertThatThrownBy(() -> fresh.readEvents("a").asStream().toList())
                .isInstanceOfSatisfying(LedgerIntegrityException.class, e -> {
                    assertThat(e.globalIndex()).isEqualTo(8);
                    assertThat(e.problem()).isEqualTo(LedgerVerifier.Problem.STREAM_TRUNCATED);
                });
        // an event whose predecessor is gone is refused by its link wherever it is read on its own
        assertThatThrownBy(() -> new LedgerLookup(ledger.collections(), metrics)
                .find(List.of(StoredEvent.streamKey("a", 2))))
                .isInstanceOfSatisfying(LedgerIntegrityException.class,
                                        e -> assertThat(e.problem()).isEqualTo(LedgerVerifier.Problem.CHAIN_BROKEN));
    }

    @Test
    void anAggregateWhoseLastEventWasRewrittenAndRehashedIsNotLoaded() {
        Document original = ledger.collections().events().find(Filters.eq("_id", 6L)).first();
        Document forged = new Document(original).append("payload", original.getString("payload")
                                                                            .replace("note", "forged"));
        ledger.collections().events().updateOne(Filters.eq("_id", 6L), Updates.combine(
                Updates.set("payload", forged.getString("payload")), Updates.set("hash", EventHash.rehash(forged))));
        MongoEventStorageEngine fresh = ledger.engineBuilder().metrics(metrics).build();

        assertThatThrownBy(() -> fresh.readEvents("b").asStream().toList())
                .isInstanceOfSatisfying(LedgerIntegrityException.class, e -> {
                    assertThat(e.globalIndex()).isEqualTo(6);
                    assertThat(e.problem()).isEqualTo(LedgerVerifier.Problem.HEAD_MISMATCH);
                });

        putBack(original);
        assertThat(fresh.readEvents("b").asStream().toList()).hasSize(3);
    }

    @Test
    void eventsAppendedWhileAStreamIsReadAreNotABreak() {
        // the head is read before the events: a commit landing in between leaves the stream beyond its head
        StreamHeads.Head before = StreamHeads.read(ledger.collections().streamHeads(), "a");
        testSubject.appendEvents(TestEvents.counted("a", 3, 1));
        List<StoredEvent> read = new LedgerLookup(ledger.collections()).asFound().stream("a", null);

        new ReadCheck(new ChainHashes(ledger.collections()), metrics, true).reachesHead(before, 0, read);
        assertThat(read).hasSize(4);
        assertThat(reported).isEmpty();
    }

    @Test
    void keyLookupsRefuseAForgedEventAndVerificationReadsItAsFound() {
        forge(3);
        LedgerLookup lookup = new LedgerLookup(ledger.collections(), metrics);

        assertThatThrownBy(() -> lookup.find(List.of(StoredEvent.streamKey("a", 2))))
                .isInstanceOf(LedgerIntegrityException.class);
        assertThatThrownBy(() -> lookup.atIndexes(List.of(3L))).isInstanceOf(LedgerIntegrityException.class);
        assertThat(lookup.find(List.of(StoredEvent.streamKey("b", 0)))).hasSize(1);
        assertThat(lookup.asFound().find(List.of(StoredEvent.streamKey("a", 2))).values())
                .singleElement().satisfies(e -> assertThat(e.hashMatches()).isFalse());
    }

    @Test
    void withVerificationOffNothingIsChecked() {
        forge(2);
        MongoEventStorageEngine unchecked = ledger.engineBuilder().verifyOnRead(false).build();

        assertThat(unchecked.readEvents("a").asStream().toList()).hasSize(3);
    }
}
