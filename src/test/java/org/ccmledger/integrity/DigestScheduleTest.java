package org.ccmledger.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.ccmledger.ledger.LedgerDigestLog;
import org.ccmledger.ledger.LedgerDigests.Digest;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.LedgerSealer;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.MongoEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Scheduled digests: one whenever the ledger grew, none while it stands still, none of an empty ledger. */
class DigestScheduleTest {

    private LedgerFixture ledger;
    private MongoEventStorageEngine engine;
    private LedgerDigestLog log;
    private IntegrityService integrity;

    @BeforeEach
    void setUp() {
        ledger = LedgerFixture.inMemory();
        ledger.collections().ensureIndexes();
        engine = ledger.engine();
        log = new LedgerDigestLog(ledger.collections());
        integrity = new IntegrityService(new LedgerVerifier(ledger.collections()),
                                         new LedgerSealer(ledger.collections(), 100), log,
                                         new org.ccmledger.ledger.SealedRecord(ledger.collections()),
                                         SigningKey.generate());
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    /** A lease that a busy machine's pauses cannot let expire during a test. */
    private DigestLease lease(String node) {
        return new DigestLease(ledger.database(), node, Duration.ofSeconds(5), java.time.Clock.systemUTC());
    }

    private void append(String aggregate, int count) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            events.add(new GenericDomainEventMessage<>("Counter", aggregate, seq, "event " + seq,
                                                       MetaData.with("actor", "tester")));
        }
        engine.appendEvents(events);
    }

    @Test
    @DisplayName("The schedule seals only when the ledger grew: nothing for an empty or unchanged ledger")
    void theScheduleSealsOnlyWhenTheLedgerGrew() {
        assertThat(integrity.sealIfLedgerGrew()).as("an empty ledger").isEmpty();

        append("a", 3);
        Digest first = integrity.sealIfLedgerGrew().orElseThrow();
        assertThat(integrity.sealIfLedgerGrew()).as("nothing appended since").isEmpty();

        append("b", 2);
        Digest second = integrity.sealIfLedgerGrew().orElseThrow();
        assertThat(first.sealedUpTo()).isEqualTo(3);
        assertThat(second.sealedUpTo()).isEqualTo(5);
        assertThat(second.previousDigest()).isEqualTo(first.chainHash());
    }

    @Test
    @DisplayName("Started with an interval, the schedule takes a digest of a grown ledger by itself; 0 turns it off")
    void theScheduleRunsByItself() {
        append("a", 4);
        DigestSchedule off = new DigestSchedule(integrity::sealIfLedgerGrew,
                                                new IntegrityProperties(null, Duration.ZERO, null), lease("a"));
        off.start();
        assertThat(off.isRunning()).isFalse();

        DigestSchedule testSubject = new DigestSchedule(integrity::sealIfLedgerGrew,
                                                        new IntegrityProperties(null, Duration.ofMillis(20), null),
                                                        lease("a"));
        testSubject.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> log.highestSequence() >= 1);
        } finally {
            testSubject.stop();
        }
        assertThat(log.find(1).orElseThrow().sealedUpTo()).isEqualTo(4);
        assertThat(testSubject.isRunning()).isFalse();
    }

    @Test
    @DisplayName("One instance holds the schedule's lease; another takes it only once the holder stops renewing it")
    void theLeaseHasOneHolderUntilItExpires() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochMilli(now.get());
            }
        };
        DigestLease first = new DigestLease(ledger.database(), "node-1", Duration.ofSeconds(10), clock);
        DigestLease second = new DigestLease(ledger.database(), "node-2", Duration.ofSeconds(10), clock);

        assertThat(first.acquire()).as("a free lease").isPresent();
        assertThat(second.acquire()).as("held by node-1").isEmpty();
        now.addAndGet(9_000);
        assertThat(first.acquire()).as("renewed by its holder").isPresent();
        now.addAndGet(9_000);
        assertThat(second.acquire()).as("renewed 9 s ago: still held").isEmpty();
        now.addAndGet(2_000);
        assertThat(second.acquire()).as("node-1 stopped renewing 11 s ago").isPresent();
        assertThat(first.acquire()).as("node-1 lost it").isEmpty();
        second.release();
        assertThat(first.acquire()).as("given up by node-2").isPresent();
    }

    @Test
    @DisplayName("Two instances' schedules on one ledger: digests are taken by one instance at a time, and the other "
                 + "takes the schedule over when the first stops")
    void twoInstancesNeverTakeADigestAtTheSameTime() {
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> runs =
                new java.util.concurrent.ConcurrentHashMap<>();
        IntegrityProperties everyFewMillis = new IntegrityProperties(null, Duration.ofMillis(5), null);
        DigestSchedule one = schedule("node-1", everyFewMillis, running, mostAtOnce, runs);
        DigestSchedule two = schedule("node-2", everyFewMillis, running, mostAtOnce, runs);
        one.start();
        two.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> runs.values().stream().mapToInt(
                    java.util.concurrent.atomic.AtomicInteger::get).sum() >= 20);
            String holder = runs.keySet().iterator().next();
            assertThat(runs).as("only the lease's holder ran the schedule").containsOnlyKeys(holder);
            (holder.equals("node-1") ? one : two).stop();
            String other = holder.equals("node-1") ? "node-2" : "node-1";
            await().atMost(Duration.ofSeconds(20)).until(() -> runs.containsKey(other) && runs.get(other).get() >= 5);
        } finally {
            one.stop();
            two.stop();
        }
        assertThat(mostAtOnce).as("digests taken at once").hasValue(1);
    }

    private DigestSchedule schedule(String node, IntegrityProperties properties,
                                    java.util.concurrent.atomic.AtomicInteger running,
                                    java.util.concurrent.atomic.AtomicInteger mostAtOnce,
                                    java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> runs) {
        return new DigestSchedule(() -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            // a digest run lasts a moment: it waits, 3 ms at most, for another run to start beside it, so that an
            // overlap, should the lease ever allow one, is there to be counted (mostAtOnce)
            long deadline = System.nanoTime() + 3_000_000;
            while (running.get() == 1 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
            runs.computeIfAbsent(node, n -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            running.decrementAndGet();
            return java.util.Optional.empty();
        }, properties, lease(node));
    }
}
