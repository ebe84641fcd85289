package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tracking reads of one store made once for the streams asking for the same batch at the same time, or moments after
 * while behind: never a batch at the head, never a failure, never past its freshness, and never changing what a stream
 * is handed (the same events and tokens as reading alone).
 */
class SharedReadsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SharedReads shared = new SharedReads(2, clock::millis);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static TrackingToken token(long index) {
        return GapAwareTrackingToken.newInstance(index, Set.of());
    }

    /** A batch of one event after {@code after}; {@code behind}: more was reserved beyond it. */
    private static ReadAhead.Batch batch(long after, boolean behind) {
        long index = after + 1;
        StoredEvent event = StoredEvent.unsealed(index, "s/" + index, "s", index, "T", "e" + index,
                                                 "2026-01-01T00:00:00Z", "P", null, "{}", "{}", Instant.EPOCH,
                                                 EventHash.GENESIS);
        return new ReadAhead.Batch(token(after), List.of(new TrackedDomainEventData<>(
                token(index), AggregateEvents.entryOf(event))), behind);
    }

    /** A reader that counts its reads. */
    private static Supplier<ReadAhead.Batch> counting(AtomicInteger reads, ReadAhead.Batch batch) {
        return () -> {
            reads.incrementAndGet();
            return batch;
        };
    }

    /** Two streams' reads of the batch after token 4, the second asked for while the first is being made. */
    private record Race(CompletableFuture<ReadAhead.Batch> first, CompletableFuture<ReadAhead.Batch> second,
                        AtomicInteger secondReads) {
    }

    /**
     * Starts the first stream's read, whose reader holds until released and then gives {@code firstReader}'s result;
     * then the second stream's, whose own reader would give {@code secondOwn}; releases the first once the second is
     * waiting.
     */
    private Race race(Supplier<ReadAhead.Batch> firstReader, ReadAhead.Batch secondOwn) throws InterruptedException {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<ReadAhead.Batch> first = CompletableFuture.supplyAsync(
                () -> shared.read(token(4), 100, () -> {
                    reading.countDown();
                    await(release);
                    return firstReader.get();
                }), threads);
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicInteger secondReads = new AtomicInteger();
        AtomicReference<Thread> waiting = new AtomicReference<>();
        CompletableFuture<ReadAhead.Batch> second = CompletableFuture.supplyAsync(() -> {
            waiting.set(Thread.currentThread());
            return shared.read(token(4), 100, counting(secondReads, secondOwn));
        }, threads);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                  .until(() -> waiting.get() != null && waiting.get().getState() == Thread.State.WAITING);
        release.countDown();
        return new Race(first, second, secondReads);
    }

    @Test
    void aReadAnotherStreamIsMakingIsWaitedForAndItsBatchHandedOnNotReadAgain() throws Exception {
        ReadAhead.Batch first = batch(4, true);
        Race race = race(() -> first, batch(4, true));

        assertThat(race.first().get(10, TimeUnit.SECONDS)).isSameAs(first);
        assertThat(race.second().get(10, TimeUnit.SECONDS)).as("the first stream's batch").isSameAs(first);
        assertThat(race.secondReads()).as("the second stream did not read").hasValue(0);
    }

    @Test
    void aBatchReadWhileBehindIsHandedOnWhileFreshThenReadAgain() {
        AtomicInteger reads = new AtomicInteger();
        ReadAhead.Batch read = shared.read(token(4), 100, counting(reads, batch(4, true)));

        clock.advance(Duration.ofMillis(RecentEvents.FRESH_MILLIS - 1));
        assertThat(shared.read(token(4), 100, counting(reads, batch(4, true)))).isSameAs(read);
        assertThat(reads).hasValue(1);
        assertThat(shared.read(token(4), 50, counting(reads, batch(4, true))))
                .as("another batch size is another read").isNotSameAs(read);
        assertThat(shared.read(token(5), 100, counting(reads, batch(5, true)))).isNotSameAs(read);
        assertThat(reads).hasValue(3);

        clock.advance(Duration.ofMillis(1));
        assertThat(shared.read(token(4), 100, counting(reads, batch(4, true)))).as("no longer fresh: read again")
                                                                              .isNotSameAs(read);
        assertThat(reads).hasValue(4);
    }

    @Test
    void aBatchAtTheHeadIsNotKeptSoAStreamWaitingForNewEventsReadsAgain() {
        AtomicInteger reads = new AtomicInteger();
        shared.read(token(4), 100, counting(reads, batch(4, false)));
        shared.read(token(4), 100, counting(reads, new ReadAhead.Batch(token(4), List.of(), false)));
        shared.read(token(4), 100, counting(reads, new ReadAhead.Batch(token(4), List.of(), false)));

        assertThat(reads).hasValue(3);
    }

    @Test
    void aFailedReadIsNotSharedEachStreamReadsItself() throws Exception {
        ReadAhead.Batch own = batch(4, true);
        Race race = race(() -> {
            throw new IllegalStateException("a forged event");
        }, own);

        assertThatThrownBy(() -> race.first().get(10, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(race.second().get(10, TimeUnit.SECONDS)).as("read by the second stream itself").isSameAs(own);
        assertThat(race.secondReads()).hasValue(1);
    }

    @Test
    void atMostCapacityBatchesAreKeptTheOldestDroppedFirst() {
        AtomicInteger reads = new AtomicInteger();
        ReadAhead.Batch oldest = shared.read(token(1), 100, counting(reads, batch(1, true)));
        clock.advance(Duration.ofMillis(1));
        ReadAhead.Batch middle = shared.read(token(2), 100, counting(reads, batch(2, true)));
        clock.advance(Duration.ofMillis(1));
        ReadAhead.Batch newest = shared.read(token(3), 100, counting(reads, batch(3, true)));
        assertThat(reads).hasValue(3);

        assertThat(shared.read(token(3), 100, counting(reads, batch(3, true)))).isSameAs(newest);
        assertThat(shared.read(token(2), 100, counting(reads, batch(2, true)))).isSameAs(middle);
        assertThat(reads).hasValue(3);
        assertThat(shared.read(token(1), 100, counting(reads, batch(1, true)))).as("dropped: read again")
                                                                              .isNotSameAs(oldest);
        assertThat(reads).hasValue(4);
    }

    @Test
    void twoStreamsOfOneStoreReadingTogetherAreHandedWhatEachWouldReadAloneAndNewEventsAtOnce() throws Exception {
        try (LedgerFixture ledger = LedgerFixture.inMemory()) {
            twoStreamsReadTogether(ledger);
        }
    }

    private void twoStreamsReadTogether(LedgerFixture ledger) throws Exception {
        MongoEventStorageEngine writer = ledger.engine();
        for (int i = 0; i < 8; i++) {
            writer.appendEvents(TestEvents.counted("p" + i, 0, 5)); // 40 events
        }
        MongoEventStorageEngine store = ledger.engineBuilder().batchSize(3).readAhead(4).clock(clock).build();
        MongoEventStorageEngine alone = ledger.engineBuilder().batchSize(3).readAhead(0).build();
        List<String> expected = described(alone.readEvents(null, false));

        CompletableFuture<List<String>> one = CompletableFuture.supplyAsync(
                () -> described(store.readEvents(null, false)), threads);
        CompletableFuture<List<String>> two = CompletableFuture.supplyAsync(
                () -> described(store.readEvents(null, false)), threads);
        assertThat(one.get(30, TimeUnit.SECONDS)).hasSize(40).isEqualTo(expected);
        assertThat(two.get(30, TimeUnit.SECONDS)).isEqualTo(expected);

        // the clock stands still: batches read while behind are still fresh, yet the new events are read at once
        writer.appendEvents(TestEvents.counted("q", 0, 5));
        List<String> again = described(store.readEvents(null, false));
        assertThat(again).hasSize(45).startsWith(expected.toArray(String[]::new))
                         .isEqualTo(described(alone.readEvents(null, false)));
    }

    private static List<String> described(Stream<? extends TrackedEventMessage<?>> events) {
        try (events) {
            return events.map(event -> event.trackingToken() + " " + event.getIdentifier() + " " + event.getPayload())
                         .toList();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
