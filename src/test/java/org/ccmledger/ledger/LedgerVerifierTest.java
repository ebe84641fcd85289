package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/** Tampering with a stored event directly in the database is reported at exactly that event. */
class LedgerVerifierTest {

    private LedgerFixture ledger;
    private LedgerVerifier testSubject;

    @BeforeEach
    void setUp() {
        ledger = LedgerFixture.inMemory();
        MongoEventStorageEngine engine = ledger.engine();
        engine.appendEvents(TestEvents.counted("a", 0, 3));   // indexes 1..3
        engine.appendEvents(TestEvents.counted("b", 0, 3));   // indexes 4..6
        engine.appendEvents(TestEvents.counted("a", 3, 3));   // indexes 7..9
        // verified two minutes later: every empty index is past the 60 s gap timeout
        testSubject = new LedgerVerifier(ledger.collections(), 4,
                                         Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)), Duration.ofSeconds(60));
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    private LedgerVerifier.Break firstBreak() {
        return testSubject.verifyLedger().firstBreak();
    }

    @Test
    void anUntouchedLedgerVerifies() {
        LedgerVerifier.Report report = testSubject.verifyLedger();

        assertThat(report.intact()).isTrue();
        assertThat(report.eventsChecked()).isEqualTo(9);
        assertThat(testSubject.verifyAggregate("a").eventsChecked()).isEqualTo(6);
    }

    @Test
    void aChangedPayloadIsReportedAtThatEvent() {
        ledger.collections().events().updateOne(Filters.eq("_id", 5L),
                                                Updates.set("payload", "{\"counter\":\"b\",\"n\":99}"));

        assertThat(firstBreak()).isEqualTo(new LedgerVerifier.Break(5, "a:b#1", LedgerVerifier.Problem.HASH_MISMATCH));
        assertThat(testSubject.verifyAggregate("b").firstBreak().globalIndex()).isEqualTo(5);
        assertThat(testSubject.verifyAggregate("a").intact()).isTrue();
    }

    @Test
    void aPayloadChangedAndRehashedIsReportedWhereTheChainBreaks() {
        Document original = ledger.collections().events().find(Filters.eq("_id", 2L)).first();
        Document forged = original.append("payload", "{\"counter\":\"a\",\"n\":7}");
        ledger.collections().events().updateOne(Filters.eq("_id", 2L), Updates.combine(
                Updates.set("payload", forged.getString("payload")), Updates.set("hash", EventHash.rehash(forged))));

        assertThat(firstBreak()).isEqualTo(new LedgerVerifier.Break(3, "a:a#2", LedgerVerifier.Problem.CHAIN_BROKEN));
    }

    @Test
    void aChangedHashIsReportedAtThatEvent() {
        ledger.collections().events().updateOne(Filters.eq("_id", 8L), Updates.set("hash", "f".repeat(64)));

        assertThat(firstBreak()).isEqualTo(new LedgerVerifier.Break(8, "a:a#4", LedgerVerifier.Problem.HASH_MISMATCH));
    }

    @Test
    void aDeletedEventIsReportedAsMissing() {
        ledger.collections().events().deleteOne(Filters.eq("_id", 7L));

        assertThat(firstBreak()).isEqualTo(new LedgerVerifier.Break(7, null, LedgerVerifier.Problem.MISSING_EVENT));
        assertThat(testSubject.verifyAggregate("a").firstBreak())
                .isEqualTo(new LedgerVerifier.Break(8, "a:a#4", LedgerVerifier.Problem.SEQUENCE_BROKEN));
    }

    @Test
    void anEmptyIndexOfACommitStillInFlightIsPendingNotMissing() {
        ledger.collections().reserve(2);
        LedgerVerifier now = new LedgerVerifier(ledger.collections(), 4, Clock.systemUTC(), Duration.ofSeconds(60));

        LedgerVerifier.Report report = now.verifyLedger();

        assertThat(report.intact()).isTrue();
        assertThat(report.pending()).isEqualTo(2);
        assertThat(report.eventsChecked()).isEqualTo(9);
    }

    @Test
    void anEventMovedToAnotherStreamKeyIsReported() {
        Document fifth = ledger.collections().events().find(Filters.eq("_id", 5L)).first();
        ledger.collections().events().updateOne(Filters.eq("_id", 5L), Updates.set("streamKey", "a:a#99"));

        assertThat(firstBreak()).isEqualTo(new LedgerVerifier.Break(5, "a:a#99", LedgerVerifier.Problem.KEY_MISMATCH));
        assertThat(fifth.getString("streamKey")).isEqualTo("a:b#1");
    }

    @Test
    void twoEventsSwappedInTheLedgerOrderAreReportedAtTheFirst() {
        Document second = ledger.collections().events().find(Filters.eq("_id", 2L)).first();
        Document third = ledger.collections().events().find(Filters.eq("_id", 3L)).first();
        ledger.collections().events().deleteMany(Filters.in("_id", 2L, 3L));
        ledger.collections().events().insertOne(second.append("_id", 3L));
        ledger.collections().events().insertOne(third.append("_id", 2L));

        assertThat(firstBreak().globalIndex()).isEqualTo(2);
        assertThat(firstBreak().problem()).isEqualTo(LedgerVerifier.Problem.HASH_MISMATCH);
    }

    @Test
    void progressIsToldAfterEveryBlockOfGlobalIndexes() {
        java.util.List<long[]> progress = new java.util.ArrayList<>();

        LedgerVerifier.Report report = testSubject.verifyLedger(0, (upTo, checked) -> progress.add(
                new long[] {upTo, checked}));

        assertThat(report.intact()).isTrue();
        assertThat(progress).extracting(p -> p[0]).containsExactly(4L, 8L, 9L);
        assertThat(progress).extracting(p -> p[1]).containsExactly(4L, 8L, 9L);
    }

    @Test
    void anEmptySlotADigestSealedIsMissingAtOnceWithoutWaitingForTheGapTimeout() {
        LedgerVerifier now = new LedgerVerifier(ledger.collections(), 4, Clock.systemUTC(), Duration.ofSeconds(60));
        ledger.collections().events().deleteOne(Filters.eq("_id", 7L));

        assertThat(now.verifyLedger().firstBreak())
                .as("not sealed: the empty slot may be a commit in flight; the aggregate's next event shows the hole")
                .isEqualTo(new LedgerVerifier.Break(8, "a:a#4", LedgerVerifier.Problem.SEQUENCE_BROKEN));
        assertThat(now.verifyLedger(9, LedgerVerifier.Progress.NONE).firstBreak())
                .isEqualTo(new LedgerVerifier.Break(7, null, LedgerVerifier.Problem.MISSING_EVENT));
        assertThat(now.verifyUpTo(8).firstBreak())
                .isEqualTo(new LedgerVerifier.Break(7, null, LedgerVerifier.Problem.MISSING_EVENT));
    }
}
