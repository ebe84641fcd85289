package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tracking processor on our store sees every event exactly once: while writers append concurrently, after a
 * reset, and across split segments.
 */
class TrackingProcessorTest {

    private LedgerFixture ledger;
    private MongoEventStorageEngine engine;
    private EmbeddedEventStore eventStore;
    private final List<TrackingEventProcessor> processors = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ledger = LedgerFixture.inMemory();
        engine = ledger.engine();
        eventStore = EmbeddedEventStore.builder().storageEngine(engine).fetchDelay(20).build();
    }

    @AfterEach
    void tearDown() {
        processors.forEach(TrackingEventProcessor::shutDown);
        eventStore.shutDown();
        ledger.close();
    }

    /** Counts, per event id, how often the processor handled it. */
    static final class Counter implements EventMessageHandler {
        final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

        @Override
        public Object handle(EventMessage<?> event) {
            seen.computeIfAbsent(event.getIdentifier(), id -> new AtomicInteger()).incrementAndGet();
            return null;
        }

        long duplicates() {
            return seen.values().stream().filter(c -> c.get() > 1).count();
        }
    }

    private TrackingEventProcessor processor(String name, Counter counter, int threads, int segments) {
        TrackingEventProcessor processor = TrackingEventProcessor.builder()
                .name(name)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(counter).build())
                .messageSource(eventStore)
                .tokenStore(ledger.tokenStore("node-1"))
                .transactionManager(NoTransactionManager.INSTANCE)
                .trackingEventProcessorConfiguration(
                        TrackingEventProcessorConfiguration.forParallelProcessing(threads)
                                                           .andInitialSegmentsCount(segments)
                                                           .andBatchSize(100)
                                                           .andEventAvailabilityTimeout(100,
                                                                   java.util.concurrent.TimeUnit.MILLISECONDS))
                .build();
        processors.add(processor);
        return processor;
    }

    @Test
    void eightConcurrentWritersOf2500EventsEachAreCountedExactlyOnce() throws Exception {
        Counter counter = new Counter();
        TrackingEventProcessor processor = processor("exactly-once", counter, 1, 1);
        processor.start();

        Set<String> written = appendConcurrently(8, 2500);

        await().atMost(Duration.ofMinutes(2)).until(() -> counter.seen.size() >= written.size());
        assertThat(counter.seen.keySet()).isEqualTo(written);
        assertThat(counter.duplicates()).isZero();
        assertThat(new LedgerVerifier(ledger.collections()).verifyLedger().intact()).isTrue();
    }

    @Test
    void resettingAProcessorRedeliversEverythingExactlyOnce() throws Exception {
        Counter counter = new Counter();
        TrackingEventProcessor processor = processor("resettable", counter, 1, 1);
        Set<String> written = appendConcurrently(4, 250);
        processor.start();
        await().atMost(Duration.ofMinutes(1)).until(() -> counter.seen.size() >= written.size());

        processor.shutDown();
        counter.seen.clear();
        processor.resetTokens();
        processor.start();

        await().atMost(Duration.ofMinutes(1)).until(() -> counter.seen.size() >= written.size());
        assertThat(counter.seen.keySet()).isEqualTo(written);
        assertThat(counter.duplicates()).isZero();
    }

    @Test
    void aProcessorWithTwoSegmentsOnTwoThreadsSplitsTheWorkWithoutOverlap() throws Exception {
        Counter counter = new Counter();
        TrackingEventProcessor processor = processor("segmented", counter, 2, 2);
        processor.start();

        Set<String> written = appendConcurrently(4, 500);

        await().atMost(Duration.ofMinutes(1)).until(() -> counter.seen.size() >= written.size());
        assertThat(counter.seen.keySet()).isEqualTo(written);
        assertThat(counter.duplicates()).isZero();
        assertThat(ledger.tokenStore("observer").fetchSegments("segmented")).containsExactly(0, 1);
    }

    @Test
    void aSegmentSplitAndMergedAgainKeepsCountingEveryEventOnce() throws Exception {
        Counter counter = new Counter();
        TrackingEventProcessor processor = processor("splittable", counter, 2, 1);
        processor.start();
        Set<String> firstHalf = appendConcurrently(2, 200);
        await().atMost(Duration.ofMinutes(1)).until(() -> counter.seen.size() >= firstHalf.size());

        assertThat(processor.splitSegment(0).get()).isTrue();
        assertThat(ledger.tokenStore("observer").fetchSegments("splittable")).containsExactly(0, 1);
        Set<String> secondHalf = appendConcurrently(2, 200);
        await().atMost(Duration.ofMinutes(1))
               .until(() -> counter.seen.size() >= firstHalf.size() + secondHalf.size());
        await().atMost(Duration.ofMinutes(1)).until(() -> processor.processingStatus().size() == 2);
        assertThat(processor.mergeSegment(0).get()).isTrue();
        assertThat(ledger.tokenStore("observer").fetchSegments("splittable")).containsExactly(0);

        assertThat(counter.seen).hasSize(firstHalf.size() + secondHalf.size());
        assertThat(counter.duplicates()).isZero();
    }

    private Set<String> appendConcurrently(int writers, int eventsEach) throws Exception {
        Set<String> written = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Callable<Void>> tasks = new ArrayList<>();
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        for (int w = 0; w < writers; w++) {
            String aggregate = "writer-" + run + "-" + w;
            tasks.add(() -> {
                for (int seq = 0; seq < eventsEach; seq++) {
                    DomainEventMessage<?> event = TestEvents.counted(aggregate, seq);
                    engine.appendEvents(List.of(event));
                    written.add(event.getIdentifier());
                }
                return null;
            });
        }
        for (Future<Void> done : pool.invokeAll(tasks)) {
            done.get();
        }
        pool.shutdown();
        return written;
    }
}
