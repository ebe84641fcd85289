package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * A tracking stream that is behind reads its next batches on another thread while the current one is handled, and
 * hands on exactly what reading each batch in turn would: the same events in the same order, a forged event refused
 * after the events before it, nothing read ahead at the head or after the stream is closed.
 */
class ReadAheadTest {

    private final ThreadPoolExecutor threads = (ThreadPoolExecutor) ReadAhead.threads();
    private LedgerFixture ledger;

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        if (ledger != null) {
            ledger.close();
        }
    }

    /** A ledger of {@code batches} batches of 3 events each, the last not behind; records who read what. */
    private static final class Ledger implements ReadAhead.Reader {
        final int batches;
        final List<String> readers = new CopyOnWriteArrayList<>();
        final List<Long> readAfter = new CopyOnWriteArrayList<>();
        final CountDownLatch holdAhead = new CountDownLatch(1);
        volatile long failAfter = -1;

        Ledger(int batches, boolean holdReadingAhead) {
            this.batches = batches;
            if (!holdReadingAhead) {
                holdAhead.countDown();
            }
        }

        @Override
        public ReadAhead.Batch read(TrackingToken after) {
            long from = after == null ? 0 : after.position().orElseThrow();
            readAfter.add(from);
            readers.add(Thread.currentThread().getName());
            try {
                if (Thread.currentThread().getName().equals("ledger-read-ahead")) {
                    holdAhead.await();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (from == failAfter) {
                throw new LedgerIntegrityException(from + 1, LedgerVerifier.Problem.HASH_MISMATCH);
            }
            List<TrackedEventData<?>> events = new ArrayList<>();
            for (long index = from + 1; index <= Math.min(from + 3, 3L * batches); index++) {
                events.add(new TrackedDomainEventData<>(
                        GapAwareTrackingToken.newInstance(index, List.of()),
                        new GenericDomainEventEntry<>("T", "a", index - 1, "e" + index, Instant.EPOCH, "String",
                                                      null, "x", "{}")));
            }
            return new ReadAhead.Batch(after, events, from + 3 < 3L * batches);
        }
    }

    private static long position(TrackedEventData<?> event) {
        return event.trackingToken().position().orElseThrow();
    }

    @Test
    void aStreamThatIsBehindReadsItsNextBatchesOnAnotherThreadWhileTheFirstIsHandled() {
        Ledger reader = new Ledger(10, false);
        try (Stream<? extends TrackedEventData<?>> stream = ReadAhead.stream(reader, null, threads, 4)) {
            Iterator<? extends TrackedEventData<?>> events = stream.iterator();
            assertThat(position(events.next())).isEqualTo(1);
            // the first batch was read here; batches 2 to 5 are read ahead while event 1 is being handled
            Awaitility.await().atMost(Duration.ofSeconds(30))
                      .until(() -> reader.readAfter.size() >= 5);
            assertThat(reader.readAfter).startsWith(0L, 3L, 6L, 9L, 12L);
            assertThat(reader.readers.get(0)).isEqualTo(Thread.currentThread().getName());
            assertThat(reader.readers.subList(1, 5)).containsOnly("ledger-read-ahead");
            // no further than four batches ahead of the one being handled
            assertThat(reader.readAfter).hasSizeLessThanOrEqualTo(6);

            List<Long> rest = new ArrayList<>();
            events.forEachRemaining(event -> rest.add(position(event)));
            assertThat(rest).isEqualTo(java.util.stream.LongStream.rangeClosed(2, 30).boxed().toList());
        }
        // every batch read once, in order, the last (not behind) ending the reading ahead; then one read at the end
        assertThat(reader.readAfter).containsExactly(0L, 3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 27L, 30L);
    }

    @Test
    void atTheHeadEachBatchIsReadWhenAskedForAndNotAhead() {
        Ledger reader = new Ledger(1, false); // one batch, nothing reserved beyond it
        try (Stream<? extends TrackedEventData<?>> stream = ReadAhead.stream(reader, null, threads, 4)) {
            Iterator<? extends TrackedEventData<?>> events = stream.iterator();
            events.next();
            assertThat(reader.readAfter).containsExactly(0L);
            assertThat(threads.getTaskCount()).isZero();
            events.next();
            events.next();
            assertThat(events.hasNext()).isFalse();
        }
        assertThat(reader.readAfter).containsExactly(0L, 3L);
        assertThat(reader.readers).containsOnly(Thread.currentThread().getName());
    }

    @Test
    void aReadThatFailsAheadFailsTheStreamAfterTheEventsBeforeIt() {
        Ledger reader = new Ledger(10, false);
        reader.failAfter = 9; // the read of the fourth batch meets a forged event 10
        List<Long> delivered = new ArrayList<>();
        try (Stream<? extends TrackedEventData<?>> stream = ReadAhead.stream(reader, null, threads, 4)) {
            assertThatThrownBy(() -> stream.forEach(event -> delivered.add(position(event))))
                    .isInstanceOf(LedgerIntegrityException.class);
        }
        assertThat(delivered).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(reader.readAfter).containsExactly(0L, 3L, 6L, 9L); // nothing read past the failure
    }

    @Test
    void aClosedStreamReadsNothingMore() {
        Ledger reader = new Ledger(100, true); // reading ahead waits inside its first read
        Stream<? extends TrackedEventData<?>> stream = ReadAhead.stream(reader, null, threads, 4);
        Iterator<? extends TrackedEventData<?>> events = stream.iterator();
        assertThat(position(events.next())).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> reader.readAfter.size() == 2);

        stream.close();
        reader.holdAhead.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(30))
                  .until(() -> threads.getActiveCount() == 0 && threads.getCompletedTaskCount() == 1);
        assertThat(reader.readAfter).containsExactly(0L, 3L);
    }

    @Test
    void theStoreHandsOnTheSameEventsWithAndWithoutReadingAheadAndStopsAtAForgedOne() {
        ledger = LedgerFixture.inMemory();
        MongoEventStorageEngine writer = ledger.engine();
        for (int i = 0; i < 8; i++) {
            writer.appendEvents(TestEvents.counted("p" + i, 0, 5)); // 40 events
        }
        MongoEventStorageEngine ahead = ledger.engineBuilder().batchSize(3).readAhead(4).build();
        MongoEventStorageEngine inTurn = ledger.engineBuilder().batchSize(3).readAhead(0).build();

        assertThat(described(ahead.readEvents(null, false))).hasSize(40)
                                                             .isEqualTo(described(inTurn.readEvents(null, false)));

        Document original = ledger.collections().events().find(Filters.eq("_id", 23L)).first();
        ledger.collections().events().updateOne(Filters.eq("_id", 23L), Updates.set(
                "payload", original.getString("payload").replace("note", "forged")));
        MongoEventStorageEngine fresh = ledger.engineBuilder().batchSize(3).readAhead(4).build();
        List<Long> delivered = new ArrayList<>();
        assertThatThrownBy(() -> fresh.readEvents(null, false)
                                      .forEach(event -> delivered.add(event.trackingToken().position().orElseThrow())))
                .isInstanceOf(LedgerIntegrityException.class);
        assertThat(delivered).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 22).boxed().toList());
    }

    private static List<String> described(Stream<? extends TrackedEventMessage<?>> events) {
        try (events) {
            return events.map(event -> event.trackingToken() + " " + event.getIdentifier() + " " + event.getPayload())
                         .toList();
        }
    }
}
