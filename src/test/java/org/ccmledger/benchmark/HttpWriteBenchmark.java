package org.ccmledger.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.bson.Document;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.ccmledger.support.TestTokens;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

/**
 * How many commands per second the service takes through HTTP (issue 16, item 2): {@code http.clients} clients
 * (8), each a thread with its own bearer token and a plain {@code java.net.http} client, work through patients of one
 * practice on the embedded default (H2 file, fsync on), six commands each in order: enrolment, consent, care plan,
 * three care-minute entries, every POST with an {@code Idempotency-Key} unless {@code -Dhttp.keys=false}. Prints
 * commands/s, the 50th/95th/99th-percentile latency and, as the ratio's baseline, the raw driver's {@code insertOne}
 * rate with as many threads on the same store. With {@code -Dhttp.profile=true} it also samples the stacks of every
 * thread of this JVM every {@code http.profileMillis} (10 ms) while the clients write, and prints where they were:
 * a wall-clock profile, since most of a command's time is waiting, not running; {@code -Dhttp.jfr=true} records the
 * run with Java Flight Recorder too (where the CPU goes). Before the measured run, {@code http.warmUp} patients (300)
 * are written the same way and the read models left to catch up with them, so that the figures are those of a
 * service that has compiled its hot paths. Asserts nothing about time.
 * {@code ./mvnw test -Pbenchmark -Dtest=HttpWriteBenchmark [-Dhttp.patients=300 -Dhttp.warmUp=300
 * -Dhttp.profile=true]}.
 */
@Tag("benchmark")
@TestPropertySource(properties = {"ccm.mongo.embedded.backend=h2",
                                  // the service's default, not the tests' 5
                                  "ccm.ledger.snapshot-threshold=100",
                                  "ccm.mongo.embedded.data-dir=" + HttpWriteBenchmark.DATA})
class HttpWriteBenchmark extends HttpTestBase {

    static final String DATA = "target/http-write-benchmark-data";

    static {
        // a fresh store each run: an earlier run's store would be read, replayed and compacted along with this one's
        org.springframework.util.FileSystemUtils.deleteRecursively(java.nio.file.Path.of(DATA).toFile());
    }

    private static final int CLIENTS = Integer.getInteger("http.clients", 8);
    private static final int PATIENTS = Integer.getInteger("http.patients", 300);
    /**
     * Patients written before the measured run (same clients, same practice), not counted: the JIT compiles the
     * service's hot paths over the first thousands of commands, and a 2-core machine spends a quarter of its CPU on
     * that meanwhile; a service that has been up for a while has done it.
     */
    private static final int WARM_UP_PATIENTS = Integer.getInteger("http.warmUp", 300);
    private static final List<String> PROCESSORS = List.of("patients", "audit-index", "monthly-minutes", "billing",
                                                           "billing-adjustments", "care-plans", "consents");
    private static final boolean KEYS = Boolean.parseBoolean(System.getProperty("http.keys", "true"));
    private static final boolean PROFILE = Boolean.getBoolean("http.profile");
    /** Also records the measured run with Java Flight Recorder (CPU samples) into target/http-write-benchmark.jfr. */
    private static final boolean JFR = Boolean.getBoolean("http.jfr");
    private static final int PROFILE_MILLIS = Integer.getInteger("http.profileMillis", 10);
    private static final int RAW_DOCS = Integer.getInteger("http.rawDocs", 1000);

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Autowired
    MongoDatabase database;

    @Autowired
    org.ccmledger.platform.axon.ProcessorCatchUp catchUp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                              .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void commandsThroughHttp() throws Exception {
        if (JFR) {
            FlightRecordings.payFirstRecording();
        }
        String practice = "hw-" + System.nanoTime();
        String token = tokens().mint(DEFAULT_USER, TestTokens.ALL_ROLES, practice);
        String loadBefore = loadAverage();
        double rawBefore = rawInsertOne(CLIENTS);
        Result warmUp = run(practice, token, "w", WARM_UP_PATIENTS, null);
        long caughtUpFrom = System.nanoTime();
        for (String processor : PROCESSORS) {
            catchUp.await(processor, Duration.ofMinutes(10));
        }
        double caughtUp = (System.nanoTime() - caughtUpFrom) / 1e9;
        long jitBefore = ProcessCpu.compilingMillis();
        Profile profile = PROFILE ? new Profile() : null;
        String loadAtStart = loadAverage();
        jdk.jfr.Recording recording = null;
        if (JFR) {
            recording = FlightRecordings.start(false);
        }
        long cpuBefore = ProcessCpu.nanos();
        double[] storeBefore = storeCounts();
        Result result = run(practice, token, "p", PATIENTS, profile);
        double cpuMillis = (ProcessCpu.nanos() - cpuBefore) / 1e6;
        double[] storeAfter = storeCounts();
        double jitSeconds = (ProcessCpu.compilingMillis() - jitBefore) / 1e3;
        if (recording != null) {
            recording.stop();
            Files.createDirectories(Path.of("target"));
            recording.dump(Path.of("target", "http-write-benchmark.jfr"));
            recording.close();
        }
        String loadAtEnd = loadAverage();
        double rawAfter = rawInsertOne(CLIENTS);
        double raw = (rawBefore + rawAfter) / 2;

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nHTTP writes, H2 backend (fsync on), %d clients, %d patients x 6 "
                                              + "commands, Idempotency-Key %s%n", CLIENTS, PATIENTS,
                                 KEYS ? "on every POST" : "off"));
        out.append(String.format(Locale.ROOT, "  load average (1/5/15 min): before %s, at start %s, at end %s%n",
                                 loadBefore, loadAtStart, loadAtEnd));
        out.append(String.format(Locale.ROOT, "  warm-up, not counted: %,d commands in %.1f s = %.0f commands/s; "
                                              + "read models caught up %.1f s after it%n", warmUp.commands,
                                 warmUp.seconds, warmUp.commands / warmUp.seconds, caughtUp));
        out.append(String.format(Locale.ROOT, "  %,d commands in %.1f s = %.0f commands/s; %d retried (404 while "
                                              + "the care-plan read model caught up), %d failed%n",
                                 result.commands, result.seconds, result.commands / result.seconds, result.retries.sum(),
                                 result.failures.sum()));
        out.append(String.format(Locale.ROOT, "  commands/s in each %d s of the run: %s%n", Result.WINDOW_SECONDS,
                                 result.windows()));
        out.append(String.format(Locale.ROOT, "  CPU of this JVM (service, database, clients) while writing: %.1f ms per "
                                              + "command, %.0f %% of %d cores; the JIT compiled for %.1f s of it%n",
                                 cpuMillis / result.commands,
                                 100 * cpuMillis / 1000 / result.seconds / Runtime.getRuntime().availableProcessors(),
                                 Runtime.getRuntime().availableProcessors(), jitSeconds));
        out.append(String.format(Locale.ROOT, "  embedded store per command: %.2f commits for answers, %.2f in the "
                                              + "background, %.2f writes waiting for a commit, %.2f not waiting%n",
                                 (storeAfter[0] - storeBefore[0]) / result.commands,
                                 (storeAfter[1] - storeBefore[1]) / result.commands,
                                 (storeAfter[2] - storeBefore[2]) / result.commands,
                                 (storeAfter[3] - storeBefore[3]) / result.commands));
        out.append(String.format(Locale.ROOT, "  latency of a command (ms): p50 %.1f, p95 %.1f, p99 %.1f, max %.1f%n",
                                 result.percentile(0.50), result.percentile(0.95), result.percentile(0.99),
                                 result.percentile(1.0)));
        result.byKind.forEach((kind, list) -> {
            List<Long> sorted = list.stream().sorted().toList();
            out.append(String.format(Locale.ROOT, "    %-13s p50 %6.1f  p99 %6.1f ms (%d)%n", kind,
                                     percentile(sorted, 0.5), percentile(sorted, 0.99), sorted.size()));
        });
        out.append(String.format(Locale.ROOT, "  raw driver insertOne, %d threads, same store: %.0f docs/s before, "
                                              + "%.0f after; commands/s / raw = %.2f%n",
                                 CLIENTS, rawBefore, rawAfter, result.commands / result.seconds / raw));
        out.append(String.format(Locale.ROOT, "  enrolment aggregates kept between commands: %s%n",
                                 AggregateCacheCounts.of(meters)));
        if (profile != null) {
            out.append(profile.report());
        }
        System.out.println(out);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "http-write-benchmark.md"), out.toString());
    }

    /** The embedded store's commits (for answers, background) and writes (waiting, not waiting) so far. */
    private double[] storeCounts() {
        return new double[] {
                meters.get("ccm.embedded.store.commits").tag("trigger", "write").functionCounter().count(),
                meters.get("ccm.embedded.store.commits").tag("trigger", "background").functionCounter().count(),
                meters.get("ccm.embedded.store.writes").tag("wait", "commit").functionCounter().count(),
                meters.get("ccm.embedded.store.writes").tag("wait", "none").functionCounter().count()};
    }

    private record Step(String kind, String path, String body) {
    }

    private static List<Step> steps(String practice, String patient) {
        String patients = "/api/v1/practices/" + practice + "/patients";
        String one = patients + "/" + patient;
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("enrolment", patients, PatientMother.enrollment(patient)));
        steps.add(new Step("consent", one + "/consents", PatientMother.consent()));
        steps.add(new Step("care plan", one + "/care-plan/revisions",
                           PatientMother.carePlan("2026-01-02T15:00:00Z", "2026-01-02T16:00:00Z")));
        for (int i = 1; i <= 3; i++) {
            steps.add(new Step("care minutes", one + "/care-minutes",
                               PatientMother.careMinutes(patient + "-e" + i, "CLINICAL_STAFF",
                                                         "2026-09-%02dT14:00:00Z".formatted(i * 5), 10)));
        }
        return steps;
    }

    private final class Result {
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final Map<String, List<Long>> byKind = new ConcurrentHashMap<>();
        final LongAdder retries = new LongAdder();
        final LongAdder failures = new LongAdder();
        /** Commands answered 201 in each {@value #WINDOW_SECONDS}-second window from the start, by window number. */
        final Map<Long, LongAdder> perWindow = new ConcurrentHashMap<>();
        volatile long began;
        long commands;
        double seconds;

        static final int WINDOW_SECONDS = 30;

        void answered(long at) {
            perWindow.computeIfAbsent((at - began) / (WINDOW_SECONDS * 1_000_000_000L), w -> new LongAdder())
                     .increment();
        }

        /** The rate of each whole window in order, then the partial last one if any ("sustained" means each). */
        String windows() {
            long whole = (long) (seconds / WINDOW_SECONDS);
            StringBuilder rates = new StringBuilder();
            double lowest = Double.MAX_VALUE;
            for (long w = 0; w < whole; w++) {
                double rate = perWindow.getOrDefault(w, new LongAdder()).sum() / (double) WINDOW_SECONDS;
                lowest = Math.min(lowest, rate);
                rates.append(rates.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", rate));
            }
            return whole == 0 ? "shorter than one window"
                              : String.format(Locale.ROOT, "%s; the slowest window %.0f commands/s", rates, lowest);
        }

        double percentile(double q) {
            return HttpWriteBenchmark.percentile(latencies.stream().sorted().toList(), q);
        }
    }

    /**
     * The care-plan read model learns of the enrolment a moment later: the revision is sent again every 5 ms until it
     * is no longer refused as an unknown patient, for 30 s at most; answers the last status.
     */
    private int postUntilKnown(String token, Step step, Result result) {
        int[] status = {404};
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .pollInterval(java.time.Duration.ofMillis(5)).until(() -> {
                        result.retries.increment();
                        status[0] = post(token, step);
                        return status[0] != 404;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException stillUnknown) {
            // counted as a failure by the caller (status 404)
        }
        return status[0];
    }

    private Result run(String practice, String token, String prefix, int patients, Profile profile)
            throws Exception {
        Result result = new Result();
        AtomicInteger next = new AtomicInteger();
        AtomicLong commands = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                start.await();
                for (int p = next.getAndIncrement(); p < patients; p = next.getAndIncrement()) {
                    for (Step step : steps(practice, prefix + p)) {
                        long began = System.nanoTime();
                        int status = post(token, step);
                        if (status == 404 && step.kind().equals("care plan")) {
                            status = postUntilKnown(token, step, result);
                        }
                        long nanos = System.nanoTime() - began;
                        if (status != 201) {
                            result.failures.increment();
                            if (step.kind().equals("enrolment")) {
                                break; // the rest of this patient's commands would be refused
                            }
                            continue;
                        }
                        commands.incrementAndGet();
                        result.answered(began + nanos);
                        result.latencies.add(nanos);
                        result.byKind.computeIfAbsent(step.kind(), k -> Collections.synchronizedList(
                                new ArrayList<>())).add(nanos);
                    }
                }
                return null;
            }));
        }
        if (profile != null) {
            profile.start();
        }
        long began = System.nanoTime();
        result.began = began;
        start.countDown();
        for (Future<?> client : clients) {
            client.get();
        }
        result.seconds = (System.nanoTime() - began) / 1e9;
        if (profile != null) {
            profile.stop();
        }
        pool.shutdown();
        result.commands = commands.get();
        return result;
    }

    private int post(String token, Step step) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + step.path()))
                                                 .header("Authorization", "Bearer " + token)
                                                 .header("Content-Type", "application/json")
                                                 .timeout(Duration.ofSeconds(60))
                                                 .POST(HttpRequest.BodyPublishers.ofString(step.body()));
        if (KEYS) {
            request.header("Idempotency-Key", "k-" + System.nanoTime() + "-" + Thread.currentThread().getId());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Documents of an event's size, one per {@code insertOne} (one commit each), from {@code threads} threads. */
    private double rawInsertOne(int threads) throws Exception {
        MongoCollection<Document> scratch = database.getCollection("http_benchmark_raw_" + System.nanoTime());
        String payload = "x".repeat(700);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            writers.add(pool.submit(() -> {
                start.await();
                for (int i = next.getAndIncrement(); i < RAW_DOCS; i = next.getAndIncrement()) {
                    scratch.insertOne(new Document("_id", (long) i).append("payload", payload));
                }
                return null;
            }));
        }
        long began = System.nanoTime();
        start.countDown();
        for (Future<?> writer : writers) {
            writer.get();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        pool.shutdown();
        scratch.drop();
        return RAW_DOCS / seconds;
    }

    private static double percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /**
     * Samples every thread's stack in this JVM (the service, its embedded database and the clients all run here) and
     * counts, per thread group (the request's threads, the database server's, the processors'), the state and the
     * frame it was in: the innermost frame of ccm-ledger, Axon, H2 or the embedded server, with the top frame.
     */
    private static final class Profile {
        private final Map<String, Map<String, Integer>> counts = new HashMap<>();
        private final Map<String, Integer> samples = new HashMap<>();
        private java.util.concurrent.ScheduledExecutorService sampler;
        private int rounds;

        void start() {
            sampler = Executors.newSingleThreadScheduledExecutor(
                    org.ccmledger.platform.threads.DaemonThreads.named("benchmark-profiler"));
            sampler.scheduleAtFixedRate(this::sample, 0, PROFILE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        void stop() throws InterruptedException {
            sampler.shutdown();
            sampler.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        }

        private void sample() {
            rounds++;
            for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
                String group = group(entry.getKey().getName());
                StackTraceElement[] stack = entry.getValue();
                if (group == null || stack.length == 0) {
                    continue;
                }
                String where = where(entry.getKey().getState(), stack);
                if (where == null) {
                    continue;
                }
                samples.merge(group, 1, Integer::sum);
                counts.computeIfAbsent(group, g -> new HashMap<>()).merge(where, 1, Integer::sum);
            }
        }

        private static String group(String name) {
            if (name.startsWith("boundedElastic")) {
                return "request work (boundedElastic)";
            }
            if (name.startsWith("reactor-http")) {
                return "HTTP event loop (reactor-http)";
            }
            if (name.startsWith("mongo-server") || name.contains("nioEventLoopGroup")) {
                return "embedded database server";
            }
            if (name.startsWith("EventProcessor") || name.contains("[")) {
                return "event processors";
            }
            return null;
        }

        /** An idle thread (parked in its pool, waiting for a connection's bytes) counts as nothing. */
        private static String where(Thread.State state, StackTraceElement[] stack) {
            String top = stack[0].getClassName() + "." + stack[0].getMethodName();
            if (isIdle(stack)) {
                return null;
            }
            String ours = null;
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith("org.ccmledger")
                        && !frame.getClassName().startsWith("org.ccmledger.benchmark")) {
                    ours = shortName(frame.getClassName()) + "." + frame.getMethodName();
                    break;
                }
            }
            for (StackTraceElement frame : ours != null ? new StackTraceElement[0] : stack) {
                String c = frame.getClassName();
                if (c.startsWith("org.ccmledger") || c.startsWith("org.h2") || c.startsWith("de.bwaldvogel")
                        || c.startsWith("org.axonframework") || c.startsWith("com.mongodb")
                        || c.startsWith("org.springframework.security") || c.startsWith("com.nimbusds")
                        || c.startsWith("com.fasterxml")) {
                    ours = shortName(c) + "." + frame.getMethodName();
                    break;
                }
            }
            return state + " " + (ours == null ? "" : ours + " <- ") + shortName(stack[0].getClassName()) + "."
                   + stack[0].getMethodName() + (top.contains("FileDispatcherImpl.force") ? " [fsync]" : "");
        }

        private static boolean isIdle(StackTraceElement[] stack) {
            for (int i = 0; i < Math.min(stack.length, 12); i++) {
                String c = stack[i].getClassName();
                String m = stack[i].getMethodName();
                if ((c.contains("ScheduledThreadPoolExecutor") || c.contains("ThreadPoolExecutor")) && m.equals("getTask")
                        || c.endsWith("SelectorImpl") || c.contains("EPoll") && m.contains("wait")
                        || c.endsWith("NioEventLoop") && m.equals("select")
                        || c.contains("SingleThreadEventExecutor") && m.equals("takeTask")
                        || c.endsWith("SingleThreadEventExecutor$4") && m.equals("run") && i > 8) {
                    return true;
                }
            }
            return false;
        }

        private static String shortName(String className) {
            int dot = className.lastIndexOf('.');
            return dot < 0 ? className : className.substring(dot + 1);
        }

        String report() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nWall-clock profile: %d rounds of "
                    + "stack samples every %d ms (a busy or waiting thread counts once per round; idle ones not)%n",
                    rounds, PROFILE_MILLIS));
            counts.forEach((group, where) -> {
                int total = samples.get(group);
                out.append(String.format(Locale.ROOT, "%n  %s: %d samples%n", group, total));
                where.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(25)
                     .forEach(e -> out.append(String.format(Locale.ROOT, "    %5.1f %%  %s%n",
                                                            100.0 * e.getValue() / total, e.getKey())));
            });
            return out.toString();
        }
    }
}
