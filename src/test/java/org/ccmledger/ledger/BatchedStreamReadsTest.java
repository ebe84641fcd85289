package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Reading many streams together ({@link LedgerLookup#streams}) and verifying many chains together
 * ({@link LedgerVerifier#firstBreaks}) find exactly what reading and walking each one alone finds, intact or tampered
 * with.
 */
class BatchedStreamReadsTest {

    private static final List<String> STREAMS = List.of("a", "b", "c", "never-written");

    private LedgerFixture ledger;
    private LedgerLookup lookup;
    private LedgerVerifier verifier;

    @BeforeEach
    void setUp() {
        ledger = LedgerFixture.inMemory();
        MongoEventStorageEngine engine = ledger.engine();
        engine.appendEvents(TestEvents.counted("a", 0, 3));   // indexes 1..3
        engine.appendEvents(TestEvents.counted("b", 0, 1));   // index 4
        engine.appendEvents(TestEvents.counted("a", 3, 3));   // indexes 5..7
        engine.appendEvents(TestEvents.counted("c", 0, 20));  // indexes 8..27: longer than a first window of 16
        lookup = new LedgerLookup(ledger.collections());
        verifier = new LedgerVerifier(ledger.collections(), 4, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)),
                                      Duration.ofSeconds(60));
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    @Test
    void manyStreamsReadTogetherAreEachStreamReadAlone() {
        Map<String, List<StoredEvent>> together = lookup.streams(STREAMS);

        assertThat(together.keySet()).containsExactlyElementsOf(STREAMS);
        for (String stream : STREAMS) {
            assertThat(together.get(stream)).extracting(StoredEvent::globalIndex)
                                            .containsExactlyElementsOf(lookup.stream(stream, null).stream()
                                                                             .map(StoredEvent::globalIndex).toList());
        }
        assertThat(together.get("c")).hasSize(20);
        assertThat(together.get("never-written")).isEmpty();
    }

    @Test
    void aStreamTruncatedAtItsEndIsRefusedReadTogetherAsReadAlone() {
        ledger.collections().events().deleteOne(Filters.eq("_id", 7L));   // a#5, the head of a

        assertThatThrownBy(() -> lookup.stream("a", null)).isInstanceOf(LedgerIntegrityException.class);
        assertThatThrownBy(() -> lookup.streams(STREAMS)).isInstanceOf(LedgerIntegrityException.class);
    }

    @Test
    void intactChainsHaveNoBreakVerifiedTogether() {
        assertThat(verifier.firstBreaks(STREAMS)).isEmpty();
    }

    @Test
    void tamperedChainsVerifiedTogetherBreakWhereEachBreaksAlone() {
        ledger.collections().events().updateOne(Filters.eq("_id", 4L),
                                                Updates.set("payload", "{\"counter\":\"b\",\"n\":99}"));
        Document original = ledger.collections().events().find(Filters.eq("_id", 2L)).first();
        Document forged = original.append("payload", "{\"counter\":\"a\",\"n\":7}");
        ledger.collections().events().updateOne(Filters.eq("_id", 2L), Updates.combine(
                Updates.set("payload", forged.getString("payload")), Updates.set("hash", EventHash.rehash(forged))));
        ledger.collections().events().deleteOne(Filters.eq("_id", 27L));   // c#19, the head of c

        Map<String, LedgerVerifier.Break> alone = new HashMap<>();
        for (String stream : STREAMS) {
            LedgerVerifier.Break found = verifier.verifyAggregate(stream).firstBreak();
            if (found != null) {
                alone.put(stream, found);
            }
        }

        assertThat(alone).containsOnlyKeys("a", "b", "c");
        assertThat(verifier.firstBreaks(STREAMS)).isEqualTo(alone);
    }
}
