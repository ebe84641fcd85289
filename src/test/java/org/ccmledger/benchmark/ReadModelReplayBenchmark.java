package org.ccmledger.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.common.stream.BlockingStream;
import org.ccmledger.ledger.MongoTokenStore;
import org.ccmledger.platform.security.Role;
import org.ccmledger.support.BlockingChecks;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.ccmledger.support.PracticeMonthHistory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/**
 * How fast each read model is rebuilt from the ledger, against the store's own replay in the same run
 * (docs/performance.md, "Read models that keep up"): a practice is filled through the HTTP API (enrolment, consent,
 * care plan, three care-minute entries per patient) or one import, then each processor's tokens are deleted (or reset)
 * and the time taken to reach the head is measured.
 * <p>
 * {@code ./mvnw test -Pbenchmark -Dtest=ReadModelReplayBenchmark [-Dreplay.patients=300] [-Dreplay.build=import]
 * [-Dreplay.jfr=true] [-Dreplay.rounds=3] [-Dreplay.only=billing,patients] [-Dreplay.gc=true] [-Dreplay.quiet=true]
 * [-Dreplay.tokens=reset]};
 * compare batch sizes with
 * {@code -Daxon.eventhandling.processors.billing.batch-size=1}. Each timing also shows the CPU the host took
 * ({@link CpuSteal}) and the JVM's CPU an event ({@link ProcessCpu}): on two cores elapsed time also depends on how
 * the work overlaps, the CPU an event only on the work. Prints a table, writes
 * {@code target/read-model-replay.md}; asserts nothing about time.
 */
@Tag("benchmark")
@TestPropertySource(properties = {"ccm.mongo.embedded.backend=h2",
                                  "ccm.mongo.embedded.data-dir=" + ReadModelReplayBenchmark.DATA})
class ReadModelReplayBenchmark extends HttpTestBase {

    static final String DATA = "target/replay-benchmark-data";

    static {
        // a fresh store each run: an earlier run's store would be read, replayed and compacted along with this one's
        org.springframework.util.FileSystemUtils.deleteRecursively(java.nio.file.Path.of(DATA).toFile());
    }

    private static final int PATIENTS = Integer.getInteger("replay.patients", 300);
    /**
     * {@code http} (the default): the practice is written command by command through the API; {@code import}: as one
     * onboarding import of {@link PracticeMonthHistory} (seven to ten events a patient, written far faster).
     */
    private static final String BUILD = System.getProperty("replay.build", "http");
    /** {@code replay.rounds}: how many times the store's replay and every rebuild are timed, to show their spread. */
    private static final int ROUNDS = Integer.getInteger("replay.rounds", 1);
    /** Also records each read model's rebuild with Flight Recorder into target/replay-{name}.jfr. */
    private static final boolean JFR = Boolean.getBoolean("replay.jfr");
    /**
     * {@code replay.gc=true}: a full collection before each timing, so that a timing does not pay for marking and
     * collecting what the build or the timing before it left in the heap (without it, G1's first concurrent cycle
     * after the build falls in whichever timing crosses its threshold).
     */
    private static final boolean GC = Boolean.getBoolean("replay.gc");
    /**
     * {@code replay.quiet=true}: each timing starts once the JIT has compiled nothing for {@link #QUIET_FOR} (at most a
     * minute of waiting), so that a rebuild does not share the one optimizing compiler thread of a two-core JVM with
     * what the build or the timing before it left in its queue; the rebuild's own compiling still counts.
     */
    private static final boolean QUIET = Boolean.getBoolean("replay.quiet");
    private static final Duration QUIET_FOR = Duration.ofSeconds(3);
    /**
     * {@code replay.tokens}: {@code deleted} (the default), the read model emptied by its reset handlers and its
     * processor's tokens deleted, so that it reads the ledger again from its start as a processor that never ran: how
     * the service itself rebuilds a read model whose version changed ({@code ReadModelVersions}); {@code reset}, Axon's
     * {@code resetTokens}, which the service never calls, whose processor then replays under a replay token.
     */
    private static final boolean DELETE_TOKENS = !"reset".equals(System.getProperty("replay.tokens", "deleted"));
    /** {@code replay.only}: the read models to rebuild, comma-separated (all when absent). */
    private static final List<String> PROCESSORS = List.of(System.getProperty(
            "replay.only", "billing,audit-index,consents,care-plans,monthly-minutes,patients").split(","));

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    EventStore events;
    @Autowired
    org.springframework.core.env.Environment environment;
    @Autowired
    MongoTokenStore tokens;

    @Test
    void replay() throws Exception {
        if (JFR) {
            FlightRecordings.payFirstRecording();
        }
        String practice = "rb-" + System.nanoTime();
        if ("import".equals(BUILD)) {
            clientAs("admin-1", Set.of(Role.ADMIN)).mutate().responseTimeout(Duration.ofMinutes(30)).build().post()
                    .uri("/api/v1/practices/" + practice + "/import").contentType(MediaType.APPLICATION_NDJSON)
                    .accept(MediaType.APPLICATION_NDJSON).bodyValue(PracticeMonthHistory.ndjson(PATIENTS))
                    .exchange().expectStatus().isOk()
                    // line by line as it streams: the whole report of 20,000 patients is over the client's 16 MB
                    .returnResult(String.class).getResponseBody()
                    .filter(line -> line.contains("\"REFUSED\""))
                    .doOnNext(line -> {
                        throw new IllegalStateException("a line was refused: " + line);
                    })
                    .blockLast(Duration.ofMinutes(30));
        } else {
            buildThroughApi(practice);
        }
        measure();
    }

    private void buildThroughApi(String practice) {
        String patients = "/api/v1/practices/" + practice + "/patients";
        for (int i = 0; i < PATIENTS; i++) {
            post(patients, PatientMother.enrollment("p" + i)).expectStatus().isCreated();
            post(patients + "/p" + i + "/consents", PatientMother.consent()).expectStatus().isCreated();
        }
        for (int i = 0; i < PATIENTS; i++) {
            String patient = patients + "/p" + i;
            // the care-plan controller knows a patient once its read model has the enrolment
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(
                    () -> post(patient + "/care-plan/revisions", PatientMother.carePlan("2026-01-02T15:00:00Z",
                                                                                        "2026-01-02T16:00:00Z"))
                            .expectStatus().isCreated());
            for (int e = 0; e < 3; e++) {
                post(patient + "/care-minutes", PatientMother.careMinutes("p" + i + "-e" + e, "CLINICAL_STAFF",
                                                                          "2026-09-1" + e + "T14:00:00Z", 10))
                        .expectStatus().isCreated();
            }
        }
    }

    private void measure() throws Exception {
        long head = events.createHeadToken().position().orElseThrow();
        // every processor at the head first, the ones not measured too: one still catching up would take CPU from the
        // measured ones
        processing.eventProcessors().values().forEach(p -> {
            if (p instanceof StreamingEventProcessor streaming) {
                awaitHead(streaming, head);
            }
        });
        StringBuilder table = new StringBuilder("| read model | batch size | events | seconds | events/s | vs. the "
                                                + "store's replay | CPU stolen by the host | CPU an event | "
                                                + "the store's CPU an event ÷ this | collectors' pauses | "
                                                + "JIT compiling |\n"
                                                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int round = 1; round <= ROUNDS; round++) {
            replayEach(round, head, table);
        }
        String text = "Read-model replays, H2 backend, " + PATIENTS + " patients (built by " + BUILD + "), " + head
                      + " events in the ledger, " + Runtime.getRuntime().availableProcessors() + " cores, " + ROUNDS
                      + " round(s), each timing the store's replay and then each read model's"
                      + (DELETE_TOKENS ? " (emptied, its tokens deleted, read from the ledger's start)"
                                       : " (emptied and replayed by Axon's resetTokens)")
                      + (GC ? ", each after a full collection" : "")
                      + (QUIET ? ", each once the JIT had compiled nothing for " + QUIET_FOR.toSeconds() + " s" : "")
                      + "\nJVM arguments: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
                      + (BlockingChecks.enabled() ? ", BlockHound installed" : ", without BlockHound")
                      + "\n\n" + table;
        System.out.println(text);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "read-model-replay.md"), text);
    }

    /** One round: the store's replay, then each read model's rebuild, each against that round's store replay. */
    private void replayEach(int round, long head, StringBuilder table) throws Exception {
        Timing store = storeReplay(table);
        for (String name : PROCESSORS) {
            StreamingEventProcessor processor = processing.eventProcessor(name, StreamingEventProcessor.class)
                                                          .orElseThrow();
            awaitHead(processor, head);
            int segments = processor.processingStatus().size();
            processor.shutDown();
            if (DELETE_TOKENS) {
                ((AbstractEventProcessor) processor).eventHandlerInvoker().performReset();
                tokens.deleteTokens(name);
            } else {
                processor.resetTokens();
            }
            jdk.jfr.Recording recording = JFR ? FlightRecordings.start(true) : null;
            Stopwatch stopwatch = Stopwatch.start();
            processor.start();
            awaitHead(processor, head, segments);
            Timing timing = stopwatch.stop(head);
            if (recording != null) {
                recording.stop();
                recording.dump(Path.of("target", "replay-" + name + (ROUNDS > 1 ? "-" + round : "") + ".jfr"));
                recording.close();
            }
            table.append(String.format(Locale.ROOT,
                                       "| %s | %s | %,d | %.1f | %,.0f | %.2f× | %s | %.0f µs | %.2f× | %,d ms "
                                       + "| %,d ms |%n",
                                       name, environment.getProperty("axon.eventhandling.processors." + name
                                                                     + ".batch-size", "1"), head, timing.seconds(),
                                       timing.rate(), timing.rate() / store.rate(), timing.steal(),
                                       timing.cpuMicros(), store.cpuMicros() / timing.cpuMicros(),
                                       timing.pauseMillis(), timing.compileMillis()));
        }
    }

    /** The store's own replay: every event from the tail through the event store, payloads deserialized. */
    private Timing storeReplay(StringBuilder table) throws Exception {
        Stopwatch stopwatch = Stopwatch.start();
        long count = 0;
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(null)) {
            long head = events.createHeadToken().position().orElseThrow();
            while (stream.hasNextAvailable(1, java.util.concurrent.TimeUnit.SECONDS)) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                event.getPayload();
                count++;
                if (event.trackingToken().position().orElse(0) >= head) {
                    break;
                }
            }
        }
        Timing timing = stopwatch.stop(count);
        table.append(String.format(Locale.ROOT, "| (the store's own replay) | — | %,d | %.1f | %,.0f | 1.00× | %s "
                                                + "| %.0f µs | 1.00× | %,d ms | %,d ms |%n",
                                   count, timing.seconds(), timing.rate(), timing.steal(), timing.cpuMicros(),
                                   timing.pauseMillis(), timing.compileMillis()));
        return timing;
    }

    /**
     * What one timing measured: elapsed seconds, events a second, the JVM's CPU an event (µs), the host's steal, the
     * time the collectors paused the JVM, and the time the JIT's compiler threads spent compiling (part of the CPU).
     * The pauses are what the collectors' beans report: on Java 17, G1's young and full collections, not its remark
     * and cleanup pauses, and not its concurrent marking, which is CPU on its own threads (in the CPU an event).
     */
    private record Timing(double seconds, double rate, double cpuMicros, String steal, long pauseMillis,
                          long compileMillis) {
    }

    /** Elapsed time, the JVM's CPU, the host's steal, the collectors' pauses and the JIT, read as a timing starts. */
    private record Stopwatch(long nanos, long cpuNanos, CpuSteal stolen, long pauseMillis, long compileMillis) {

        static Stopwatch start() {
            if (GC) {
                System.gc();
            }
            if (QUIET) {
                awaitQuietCompiler();
            }
            CpuSteal stolen = CpuSteal.now();
            return new Stopwatch(System.nanoTime(), ProcessCpu.nanos(), stolen, ProcessCpu.collectorMillis(),
                                 ProcessCpu.compilingMillis());
        }

        Timing stop(long events) {
            double seconds = (System.nanoTime() - nanos) / 1e9;
            double cpuMicros = (ProcessCpu.nanos() - cpuNanos) / 1e3 / events;
            return new Timing(seconds, events / seconds, cpuMicros, CpuSteal.now().since(stolen),
                              ProcessCpu.collectorMillis() - pauseMillis, ProcessCpu.compilingMillis() - compileMillis);
        }

        /** Waits, at most a minute, until the JIT's compiling time has not grown for {@link #QUIET_FOR}. */
        private static void awaitQuietCompiler() {
            long[] last = {ProcessCpu.compilingMillis(), System.nanoTime()};
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            long now = ProcessCpu.compilingMillis();
                            if (now != last[0]) {
                                last[0] = now;
                                last[1] = System.nanoTime();
                            }
                            return System.nanoTime() - last[1] >= QUIET_FOR.toNanos();
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                System.out.println("The JIT still compiled after a minute of waiting; timing anyway");
            }
        }
    }

    private static void awaitHead(StreamingEventProcessor processor, long head) {
        awaitHead(processor, head, 1);
    }

    /** Until at least {@code segments} segments are claimed and every claimed one has reached {@code head}. */
    private static void awaitHead(StreamingEventProcessor processor, long head, int segments) {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    var status = processor.processingStatus();
                    if (status.isEmpty() || status.size() < segments) {
                        return false;
                    }
                    for (EventTrackerStatus segment : status.values()) {
                        OptionalLong position = segment.getCurrentPosition();
                        if (position.isEmpty() || position.getAsLong() < head) {
                            return false;
                        }
                    }
                    return true;
                });
        assertThat(processor.isRunning()).isTrue();
    }
}
