package org.ccmledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ccmledger.audit.LargePractice.PRACTICE;
import static org.ccmledger.audit.LargePractice.print;
import static org.ccmledger.audit.LargePractice.seconds;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.bson.Document;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.LedgerLookup;
import org.ccmledger.ledger.MongoEventStorageEngine;
import org.ccmledger.support.QuietLogs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import reactor.core.publisher.BaseSubscriber;

/**
 * The event log's query, in this JVM on the in-memory store, at the scale of a whole practice: 100,000 events of
 * 1,000 patients are read through {@link AuditLog#events} while the iterator's buffer and the heap after GC are
 * watched: neither grows with the result. The JSON pages of the same result each carry the cursor of the next, but
 * the last. The NDJSON stream pulls from the store only what its subscriber asks for. (That the service streams the
 * whole result over HTTP in a heap too small to hold it is {@link AuditEventStreamAtScaleTest}, tagged {@code scale}.)
 * <p>
 * Size: {@code -Daudit.stream.events} (default 100,000). Prints its timings and memory figures. Tagged {@code scale}
 * (run with {@code ./mvnw test -Pscale}): building 100,000 events takes most of a minute on a busy 2-core machine.
 */
@Tag("scale")
@ExtendWith(QuietLogs.class)
class AuditLogStreamingTest {

    private static final int EVENTS = Integer.getInteger("audit.stream.events", 100_000);
    private static final int PATIENTS = 1_000;
    private static final int HEAP_SAMPLES = 4;



    @Test
    @DisplayName("100,000 events of a practice stream with a bounded buffer, the heap flat; the last page has no cursor")
    void streamsAWholePracticeInBoundedMemory() {
        long wallStarted = System.nanoTime();
        long cpuStarted = LargePractice.cpuNanos();
        try (LedgerFixture store = LedgerFixture.inMemory()) {
            LargePractice.Filled filled = LargePractice.fill(store, EVENTS, PATIENTS);
            print("appended %,d events (%,d patients, commits of %,d) in %.1f s: %,.0f events/s; %,d index documents"
                          + " built and written in %.1f s", EVENTS, PATIENTS,
                  EVENTS / PATIENTS * LargePractice.PATIENTS_PER_COMMIT, seconds(filled.appendNanos()),
                  EVENTS / seconds(filled.appendNanos()), filled.postings(), seconds(filled.indexNanos()));
            indexIsTheProjections(store);

            AuditLog log = new AuditLog(store.database(), store.collections(), new LedgerLookup(store.collections()),
                                        LargePractice.payloads());
            long holding = LargePractice.bytesToHold(log, EVENTS);
            streamInBoundedMemory(log, filled, holding);
            pagesEndWithoutCursor(log, filled);
        }
        print("whole test: %.1f s wall, %.1f s CPU of this JVM", seconds(System.nanoTime() - wallStarted),
              seconds(LargePractice.cpuNanos() - cpuStarted));
    }

    /** The bulk-built index is, for its first bucket, exactly what the projection's handler writes. */
    private static void indexIsTheProjections(LedgerFixture store) {
        long started = System.nanoTime();
        MongoDatabase sample = store.client().getDatabase("audit_projection_sample");
        AuditIndexProjection projection = new AuditIndexProjection(sample);
        MongoEventStorageEngine engine = store.engineBuilder().eventSerializer(LargePractice.SERIALIZER)
                                              .snapshotSerializer(LargePractice.SERIALIZER).batchSize(500).build();
        AtomicLong handled = new AtomicLong();
        try (Stream<? extends TrackedEventMessage<?>> events = engine.readEvents(null, false)) {
            events.takeWhile(e -> e.trackingToken().position().orElseThrow() < AuditIndexProjection.BUCKET)
                  .forEach(e -> {
                      projection.on(e.getPayload(), e, e.trackingToken());
                      handled.incrementAndGet();
                  });
        }
        Map<String, Object> byHandler = postingsOfFirstBucket(sample);
        Map<String, Object> bulk = postingsOfFirstBucket(store.database());
        long nanos = System.nanoTime() - started;
        print("the projection's handler indexed the first bucket's %,d events in %.1f s: %,.0f events/s",
              handled.get(), seconds(nanos), handled.get() / seconds(nanos));
        assertThat(handled.get()).isPositive();
        assertThat(byHandler).as("the first bucket's index documents").isNotEmpty().isEqualTo(bulk);
    }

    private static Map<String, Object> postingsOfFirstBucket(MongoDatabase database) {
        Map<String, Object> postings = new TreeMap<>();
        for (Document d : database.getCollection("rm_audit_postings").find(Filters.regex("_id", "\\|0$"))) {
            postings.put(d.getString("_id"), d.getList("idx", Object.class).stream()
                                               .map(i -> ((Number) i).longValue()).toList());
        }
        return postings;
    }

    private static void streamInBoundedMemory(AuditLog log, LargePractice.Filled filled, long holding) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = usedAfterGc(memory);
        long maxGrowth = 0;
        int maxBuffered = 0;
        long count = 0;
        long previous = 0;
        long firstIndex = -1;
        long started = System.nanoTime();
        long gcNanos = 0;
        AuditLog.Events events = (AuditLog.Events) log.events(query(null, 0, EventQuery.MAX_LIMIT));
        while (events.hasNext()) {
            AuditEvent event = events.next();
            maxBuffered = Math.max(maxBuffered, events.buffered());
            assertThat(event.globalIndex()).isGreaterThan(previous);
            assertThat(event.aggregateId()).startsWith(PRACTICE + "/");
            previous = event.globalIndex();
            firstIndex = firstIndex < 0 ? previous : firstIndex;
            if (++count % (EVENTS / (HEAP_SAMPLES + 1)) == 0 && count < EVENTS) {
                long gcStarted = System.nanoTime();
                maxGrowth = Math.max(maxGrowth, usedAfterGc(memory) - baseline);
                gcNanos += System.nanoTime() - gcStarted;
            }
        }
        long streamNanos = System.nanoTime() - started - gcNanos;
        long after = usedAfterGc(memory) - baseline;
        print("streamed %,d events through AuditLog.events in %.1f s: %,.0f events/s", count, seconds(streamNanos),
              count / seconds(streamNanos));
        print("heap after GC grew by at most %,d KB while streaming (%,d KB after), at most %,d indexes and events "
                      + "buffered (bound %,d); holding the result would take about %,d MB", maxGrowth >> 10,
              after >> 10, maxBuffered, AuditLog.Events.MAX_BUFFERED, holding >> 20);

        assertThat(count).as("every event of the practice").isEqualTo(EVENTS);
        assertThat(firstIndex).isEqualTo(filled.first());
        assertThat(previous).isEqualTo(filled.last());
        assertThat(maxBuffered).as("what the iterator holds").isPositive()
                               .isLessThanOrEqualTo(AuditLog.Events.MAX_BUFFERED);
        assertThat(holding).as("what holding the result would take: enough to tell").isGreaterThan(50L << 20);
        assertThat(maxGrowth).as("heap growth while streaming, against holding the result (%,d bytes)", holding)
                             .isLessThan(holding / 20);
    }

    private static void pagesEndWithoutCursor(AuditLog log, LargePractice.Filled filled) {
        long started = System.nanoTime();
        long after = 0;
        long seen = 0;
        int pages = 0;
        while (true) {
            AuditLog.Page page = log.page(query("CareMinutesLogged", after, EventQuery.MAX_LIMIT));
            pages++;
            List<AuditEvent> events = page.events();
            assertThat(events).extracting(AuditEvent::globalIndex).isSorted().allMatch(i -> i > 0);
            assertThat(events.get(0).globalIndex()).as("page %d starts after its cursor", pages).isGreaterThan(after);
            seen += events.size();
            long lastOfPage = events.get(events.size() - 1).globalIndex();
            if (seen < EVENTS) {
                assertThat(events).as("page %d", pages).hasSize(EventQuery.MAX_LIMIT);
                assertThat(page.nextCursor()).as("page %d's cursor: its last index", pages).isEqualTo(lastOfPage);
                after = page.nextCursor();
            } else {
                assertThat(seen).isEqualTo(EVENTS);
                assertThat(lastOfPage).isEqualTo(filled.last());
                assertThat(page.nextCursor()).as("the last page, full to its limit, has no cursor").isNull();
                break;
            }
        }
        AuditLog.Page beyond = log.page(query("CareMinutesLogged", filled.last(), 10));
        assertThat(beyond.events()).isEmpty();
        assertThat(beyond.nextCursor()).isNull();
        AuditLog.Page tail = log.page(query(null, filled.last() - 1_500, EventQuery.MAX_LIMIT));
        assertThat(tail.events()).hasSize(EventQuery.MAX_LIMIT);
        assertThat(tail.nextCursor()).isEqualTo(filled.last() - 500);
        long nanos = System.nanoTime() - started;
        print("walked %,d JSON pages of %,d in %.1f s: %,.0f events/s", pages, EventQuery.MAX_LIMIT, seconds(nanos),
              seen / seconds(nanos));
    }

    @Test
    @DisplayName("The NDJSON stream reads from the store only as far as its subscriber asks")
    void streamPullsOnlyWhatIsAskedFor() throws Exception {
        try (LedgerFixture store = LedgerFixture.inMemory()) {
            LargePractice.Filled filled = LargePractice.fill(store, 2_000, 100);
            AtomicLong pulled = new AtomicLong();
            AuditLog counting = new AuditLog(store.database(), store.collections(),
                                             new LedgerLookup(store.collections()), LargePractice.payloads()) {
                @Override
                Iterator<AuditEvent> events(EventQuery query) {
                    Iterator<AuditEvent> events = super.events(query);
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return events.hasNext();
                        }

                        @Override
                        public AuditEvent next() {
                            pulled.incrementAndGet();
                            return events.next();
                        }
                    };
                }
            };
            AuditController controller = new AuditController(counting, null, null, null, null, null, null);
            List<AuditEvent> received = new ArrayList<>();
            BaseSubscriber<AuditEvent> slow = new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                    request(10);
                }

                @Override
                protected void hookOnNext(AuditEvent event) {
                    received.add(event);
                }
            };
            controller.eventStream(PRACTICE, new AuditController.EventFilters(null, null, null, null, null, null, null), 0).subscribe(slow);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);
            // nothing more may be taken from the store while the subscriber asks for nothing more: the count has to
            // hold still for a while, within a deadline
            org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                                     .until(() -> received.size() == 10 && pulled.get() == 10);
            assertThat(received).hasSize(10);
            assertThat(pulled.get()).as("events taken from the store for a subscriber that asked for 10").isEqualTo(10);
            slow.request(5);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 15);
            slow.cancel();
            assertThat(received).extracting(AuditEvent::globalIndex).startsWith(filled.first()).isSorted();
            assertThat(pulled.get()).isEqualTo(15);
        }
    }

    private static EventQuery query(String type, long after, int limit) {
        return LargePractice.query(type, after, limit);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        return LargePractice.usedAfterGc(memory);
    }
}
