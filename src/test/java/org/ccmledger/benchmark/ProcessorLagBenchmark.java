package org.ccmledger.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.ccmledger.caretime.api.CareActivity;
import org.ccmledger.caretime.api.LogCareMinutes;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntryId;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * How far each read model falls behind while commands arrive at a steady rate (issue 16, item 1): care-minute
 * commands sent at the command gateway at {@code lag.rate} per second by 8 threads for {@code lag.seconds}, on the H2
 * backend; every 50 ms the ledger's head is noted, and each processor's delay is the time from a head being noted to
 * the processor passing it. Prints, per processor, the highest and the 99th-percentile delay; asserts nothing about
 * time. {@code ./mvnw test -Pbenchmark -Dtest=ProcessorLagBenchmark [-Dlag.rate=200 -Dlag.seconds=60]}.
 */
@Tag("benchmark")
@TestPropertySource(properties = {"ccm.mongo.embedded.backend=h2",
                                  "ccm.mongo.embedded.data-dir=" + ProcessorLagBenchmark.DATA})
class ProcessorLagBenchmark extends HttpTestBase {

    static final String DATA = "target/lag-benchmark-data";

    static {
        // a fresh store each run: an earlier run's store would be read, replayed and compacted along with this one's
        org.springframework.util.FileSystemUtils.deleteRecursively(java.nio.file.Path.of(DATA).toFile());
    }

    private static final int RATE = Integer.getInteger("lag.rate", 200);
    private static final int SECONDS = Integer.getInteger("lag.seconds", 60);
    private static final int PATIENTS = Integer.getInteger("lag.patients", 200);
    private static final int THREADS = 8;
    private static final List<String> PROCESSORS = List.of("billing", "audit-index", "consents", "care-plans",
                                                           "monthly-minutes", "patients");

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    EventStore events;
    @Autowired
    CommandGateway commands;

    @Test
    void lagUnderSteadyWrites() throws Exception {
        String practice = "lag-" + System.nanoTime();
        String patients = "/api/v1/practices/" + practice + "/patients";
        for (int i = 0; i < PATIENTS; i++) {
            post(patients, PatientMother.enrollment("p" + i)).expectStatus().isCreated();
            post(patients + "/p" + i + "/consents", PatientMother.consent()).expectStatus().isCreated();
        }
        Map<String, StreamingEventProcessor> processors = new LinkedHashMap<>();
        PROCESSORS.forEach(name -> processors.put(name, processing.eventProcessor(name, StreamingEventProcessor.class)
                                                                  .orElseThrow()));
        Map<String, Deque<long[]>> pending = new LinkedHashMap<>();
        Map<String, List<Long>> delays = new LinkedHashMap<>();
        processors.keySet().forEach(name -> {
            pending.put(name, new ArrayDeque<>());
            delays.put(name, new ArrayList<>());
        });

        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long periodNanos = 1_000_000_000L * THREADS / RATE;
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(SECONDS).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            senders.add(pool.submit(() -> {
                long next = start + thread * periodNanos / THREADS;
                int n = 0;
                while (next < end) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    int patient = (thread + THREADS * n) % PATIENTS;
                    // a minute of September no other command uses
                    Instant at = Instant.parse("2026-09-01T00:00:00Z").plusSeconds(60L * ((long) n * THREADS
                                                                                           + thread));
                    LogCareMinutes command = new LogCareMinutes(
                            EnrollmentId.of(practice, "p" + patient), new TimeEntryId("t" + thread + "-" + n),
                            new Performer(DEFAULT_USER, PerformerRole.CLINICAL_STAFF), at, 1,
                            CareActivity.CARE_COORDINATION, "called");
                    try {
                        commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                                                                  .andMetaData(MetaData.with("actor", DEFAULT_USER)));
                        sent.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                    n++;
                    next += periodNanos;
                }
                return null;
            }));
        }
        // sample until the writes end and every processor has passed the last head
        long lastHead = -1;
        while (true) {
            long now = System.nanoTime();
            long head = events.createHeadToken().position().orElse(0);
            boolean writing = senders.stream().anyMatch(f -> !f.isDone());
            for (var entry : processors.entrySet()) {
                Deque<long[]> queue = pending.get(entry.getKey());
                if (queue.isEmpty() || queue.peekLast()[0] < head) {
                    queue.addLast(new long[] {head, now});
                }
                long position = position(entry.getValue());
                while (!queue.isEmpty() && queue.peekFirst()[0] <= position) {
                    delays.get(entry.getKey()).add(now - queue.pollFirst()[1]);
                }
            }
            if (!writing && head == lastHead && pending.values().stream().allMatch(Deque::isEmpty)) {
                break;
            }
            lastHead = head;
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        pool.shutdown();
        double seconds = SECONDS;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "Processor lag, H2 backend, %d commands/s asked by %d threads for %d s: %,d sent (%.0f/s), %,d "
                + "failed%n%n| read model | highest delay | 99th percentile | median |%n|---|---:|---:|---:|%n",
                RATE, THREADS, SECONDS, sent.get(), sent.get() / seconds, failed.get()));
        delays.forEach((name, list) -> {
            List<Long> sorted = list.stream().sorted().toList();
            table.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f s |%n", name,
                                       seconds(sorted, 1.0), seconds(sorted, 0.99), seconds(sorted, 0.5)));
        });
        System.out.println(table);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "processor-lag.md"), table.toString());
    }

    private static double seconds(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e9;
    }

    private static long position(StreamingEventProcessor processor) {
        long lowest = Long.MAX_VALUE;
        for (EventTrackerStatus segment : processor.processingStatus().values()) {
            OptionalLong position = segment.getCurrentPosition();
            lowest = Math.min(lowest, position.orElse(-1));
        }
        return lowest == Long.MAX_VALUE ? -1 : lowest;
    }
}
