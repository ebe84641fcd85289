package org.ccmledger.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bson.Document;
import org.ccmledger.platform.axon.ProcessorCatchUp;
import org.ccmledger.platform.security.Role;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

/**
 * How fast an onboarding import writes (issue 16, item 4): {@code import.patients} patients' histories (enrolment,
 * consent, care plan, five care entries and a correction; nine lines, nine events each) POSTed as one NDJSON file
 * through HTTP to the H2 backend, then the same file again (every line a duplicate). Prints lines and events per
 * second and, for scale, the raw driver's rate on the same store inserting one document per commit and 100 per
 * commit. Asserts nothing about time.
 * <p>
 * A practice's onboarding runs for minutes in a service that has been up for days; a benchmark's first import runs in
 * a JVM that has compiled nothing yet. So first a warm-up import ({@code import.warmup} patients, by date, into a
 * practice of its own; its rate is printed as the first import after a start), and before each measured import the
 * read models are left to catch up with everything before it, so that no import pays for the one before.
 * {@code ./mvnw test -Pbenchmark -Dtest=ImportBenchmark [-Dimport.patients=2000 -Dimport.orders=patient,date
 * -Dimport.warmup=300 -Dimport.jfr=true]}.
 */
@Tag("benchmark")
@TestPropertySource(properties = {"ccm.mongo.embedded.backend=h2",
                                  // the service's default, not the tests' 5
                                  "ccm.ledger.snapshot-threshold=100",
                                  "ccm.mongo.embedded.data-dir=" + ImportBenchmark.DATA})
class ImportBenchmark extends HttpTestBase {

    static final String DATA = "target/import-benchmark-data";

    static {
        // a fresh store each run: an earlier run's store would be read, replayed and compacted along with this one's
        org.springframework.util.FileSystemUtils.deleteRecursively(java.nio.file.Path.of(DATA).toFile());
    }

    private static final int PATIENTS = Integer.getInteger("import.patients", 2000);
    private static final int WARMUP = Integer.getInteger("import.warmup", 300);
    private static final List<String> PROCESSORS = List.of("patients", "audit-index", "monthly-minutes", "billing",
                                                           "billing-adjustments", "care-plans", "consents");
    private static final int LINES_PER_PATIENT = 9;
    /**
     * Also records the warm-up and each order's first import with Java Flight Recorder into
     * target/import-benchmark-warmup.jfr and target/import-benchmark-ORDER.jfr.
     */
    private static final boolean JFR = Boolean.getBoolean("import.jfr");

    @Autowired
    MongoDatabase database;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Autowired
    ProcessorCatchUp catchUp;

    @Test
    void importRate() throws Exception {
        if (JFR) {
            FlightRecordings.payFirstRecording();
        }
        int lines = PATIENTS * LINES_PER_PATIENT;
        double rawOne = rawInserts(lines, 1);
        double rawBatched = rawInserts(lines, 100);
        System.out.printf(Locale.ROOT, "%nImport of %d patients, %d lines, H2 backend, through HTTP:%n", PATIENTS,
                          lines);
        System.out.printf(Locale.ROOT, "  raw driver, same store: %.0f docs/s one per commit, %.0f docs/s 100 per "
                                       + "commit%n", rawOne, rawBatched);
        if (WARMUP > 0) {
            String warmup = history(WARMUP, false);
            long start = System.nanoTime();
            long cpuStart = ProcessCpu.nanos();
            long gcStart = ProcessCpu.collectorMillis();
            jdk.jfr.Recording recording = JFR ? FlightRecordings.start(false) : null;
            long accepted = importFile("imp-warmup-" + System.nanoTime(), warmup).count("\"ACCEPTED\"");
            double gcSeconds = (ProcessCpu.collectorMillis() - gcStart) / 1e3;
            double seconds = (System.nanoTime() - start) / 1e9;
            if (recording != null) {
                recording.stop();
                recording.dump(java.nio.file.Path.of("target", "import-benchmark-warmup.jfr"));
                recording.close();
            }
            System.out.printf(Locale.ROOT, "  warm-up, the first import after the start (%d patients by date): %d "
                                           + "accepted in %.1f s = %.0f events/s, %.2f ms of CPU per event; the "
                                           + "garbage collector paused it for %.1f s (heap at most %d MB)%n", WARMUP,
                              accepted, seconds, accepted / seconds,
                              (ProcessCpu.nanos() - cpuStart) / 1e6 / accepted, gcSeconds,
                              Runtime.getRuntime().maxMemory() >> 20);
        }
        for (String order : System.getProperty("import.orders", "patient,date").split(",")) {
            boolean byPatient = order.equals("patient");
            String practice = "imp-" + System.nanoTime();
            String file = history(PATIENTS, byPatient);
            double behind = awaitReadModels();
            long start = System.nanoTime();
            long cpuStart = ProcessCpu.nanos();
            long jitStart = ProcessCpu.compilingMillis();
            jdk.jfr.Recording recording = JFR ? FlightRecordings.start(false) : null;
            Report report = importFile(practice, file);
            double first = (System.nanoTime() - start) / 1e9;
            double cpuMs = (ProcessCpu.nanos() - cpuStart) / 1e6;
            double jitSeconds = (ProcessCpu.compilingMillis() - jitStart) / 1e3;
            if (recording != null) {
                recording.stop();
                recording.dump(java.nio.file.Path.of("target", "import-benchmark-" + order + ".jfr"));
                recording.close();
            }
            long accepted = report.count("\"ACCEPTED\"");
            start = System.nanoTime();
            Report again = importFile(practice, file);
            double second = (System.nanoTime() - start) / 1e9;
            long duplicates = again.count("\"DUPLICATE\"");
            double rate = accepted / first;
            System.out.printf(Locale.ROOT, "  file ordered by %s: %d accepted in %.1f s = %.0f events/s (%.2fx the "
                                           + "raw driver one per commit, %.2fx 100 per commit), %.2f ms of the "
                                           + "service's CPU per event (processors included; the JIT compiled "
                                           + "for %.1f s meanwhile); the same file "
                                           + "again: %d duplicates in %.1f s = %.0f lines/s (before it, %.1f s "
                                           + "waiting for the read models to catch up)%n",
                              byPatient ? "patient" : "date   ", accepted, first, rate, rate / rawOne,
                              rate / rawBatched, cpuMs / accepted, jitSeconds, duplicates, second, lines / second,
                              behind);
            System.out.printf(Locale.ROOT, "    enrolment aggregates kept between commands so far: %s%n",
                              AggregateCacheCounts.of(meters));
        }
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of(DATA))) {
            long bytes = files.mapToLong(file -> file.toFile().length()).sum();
            io.micrometer.core.instrument.Gauge live = meters.find("ccm.embedded.store.chunks.live").gauge();
            io.micrometer.core.instrument.FunctionCounter rewrites =
                    meters.find("ccm.embedded.store.chunk.rewrites").functionCounter();
            System.out.printf(Locale.ROOT, "  the embedded store's files at the end: %.0f MB, %.0f %% of what its "
                                           + "chunks hold live, %.0f rounds rewrote sparse chunks%n", bytes / 1e6,
                              live == null ? Double.NaN : live.value(),
                              rewrites == null ? Double.NaN : rewrites.count());
        }
    }

    /** Waits until every read model has handled every event stored so far: the seconds it took. */
    private double awaitReadModels() {
        long start = System.nanoTime();
        for (String processor : PROCESSORS) {
            catchUp.await(processor, Duration.ofMinutes(10));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** POSTs the file and reads the report line by line as the service streams it. */
    private Report importFile(String practice, String file) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/api/v1/practices/" + practice + "/import"))
                .header("Authorization", "Bearer " + tokens().mint("admin-1", Set.of(Role.ADMIN), practice))
                .header("Content-Type", MediaType.APPLICATION_NDJSON_VALUE)
                .header("Accept", MediaType.APPLICATION_NDJSON_VALUE)
                .timeout(Duration.ofMinutes(30))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(file, StandardCharsets.UTF_8)).build();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> response = HTTP.send(
                request, java.net.http.HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("import answered " + response.statusCode());
        }
        try (java.util.stream.Stream<String> body = response.body()) {
            return new Report(body.toList());
        }
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    /** An import's report, a line per line of the file. */
    private record Report(List<String> lines) {

        long count(String status) {
            return lines.stream().filter(line -> line.contains(status)).count();
        }
    }

    /** Documents of an event's size inserted by the raw driver, {@code perCommit} at a time: documents per second. */
    private double rawInserts(int count, int perCommit) {
        MongoCollection<Document> scratch = database.getCollection("import_benchmark_raw_" + System.nanoTime());
        String payload = "x".repeat(600);
        long start = System.nanoTime();
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(new Document("_id", (long) i).append("payload", payload));
            if (batch.size() == perCommit) {
                scratch.insertMany(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            scratch.insertMany(batch);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        scratch.drop();
        return count / seconds;
    }

    /**
     * Nine lines per patient: by patient (each patient's history together, as a per-patient export has it) or by
     * date (every patient's enrolment, consent and plan, then each week's care entries across all patients).
     */
    static String history(int patients, boolean byPatient) {
        List<List<String>> perPatient = new ArrayList<>();
        for (int p = 0; p < patients; p++) {
            perPatient.add(patientHistory("hp" + p));
        }
        StringBuilder file = new StringBuilder();
        if (byPatient) {
            perPatient.forEach(lines -> lines.forEach(file::append));
        } else {
            for (int line = 0; line < LINES_PER_PATIENT; line++) {
                for (List<String> lines : perPatient) {
                    file.append(lines.get(line));
                }
            }
        }
        return file.toString();
    }

    private static List<String> patientHistory(String patient) {
        List<String> lines = new ArrayList<>();
        lines.add(PatientMother.importLine(patient + "-1", "enrollment", patient, "2024-02-26T15:00:00Z",
                                           PatientMother.enrollment(null)));
        lines.add(PatientMother.importLine(patient + "-2", "consent", patient, "2024-02-27T15:00:00Z",
                                           PatientMother.consent().replace("2026-01-01", "2024-02-27")));
        lines.add(PatientMother.importLine(patient + "-3", "care-plan", patient, "2024-02-28T15:00:00Z",
                                           PatientMother.carePlan("2024-02-28T14:00:00Z", "2024-02-28T15:00:00Z")
                                                        .replace("{\"revisedAt\"",
                                                                 "{\"revisedBy\":\"dr-lee\",\"revisedAt\"")));
        for (int week = 1; week <= 5; week++) {
            String at = "2024-03-%02dT15:00:00Z".formatted(week * 4);
            lines.add(PatientMother.importLine(patient + "-m" + week, "care-minutes", patient,
                                               at.replace("T15", "T16"),
                                               PatientMother.careMinutes(patient + "-e" + week, "CLINICAL_STAFF", at,
                                                                         5 + week)));
        }
        lines.add(PatientMother.importLine(patient + "-c", "care-minutes-correction", patient, "2024-03-25T15:00:00Z",
                                           "{\"entryId\":\"" + patient + "-e1\",\"minutes\":12,"
                                                   + "\"reason\":\"call ran longer\",\"correctedBy\":\"nurse-1\"}"));
        return lines;
    }
}
