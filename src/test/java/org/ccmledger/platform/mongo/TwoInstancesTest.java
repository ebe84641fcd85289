package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bson.Document;
import org.ccmledger.ledger.LedgerCollections;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

/**
 * Two service instances on one standalone embedded server ({@code embedded-mongo}), each in its own JVM, both taking
 * requests; {@code kill -9} of one in the middle of a write burst. Then: the survivor holds every segment the dead one
 * held (billing and audit-index run two segments, one on each instance before the kill), every acknowledged command
 * is in the ledger and the ledger verifies, the monthly minutes equal the ledger's sum, no statement or adjustment was
 * issued twice, the digest schedule never ran on both instances at once, and every read model equals the one a single
 * instance rebuilds from a copy of the ledger. The claim time and the burst's rate are printed for
 * docs/performance.md.
 */
@Tag("multi-node")
class TwoInstancesTest {

    private static final String PRACTICE = "p1";
    private static final List<String> PATIENTS = List.of("pt-1", "pt-2", "pt-3", "pt-4", "pt-5", "pt-6");
    /** A month closed before the burst; the burst adds late entries to it, which adjust its statements. */
    private static final String CLOSED = "2026-09";
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Pattern ENTRY_ID = Pattern.compile("\"entryId\":\"([^\"]+)\"");
    private static final Pattern MINUTES = Pattern.compile("\"minutes\":(\\d+)");
    private static final Pattern STARTED_AT = Pattern.compile("\"startedAt\":\"([^\"]+)\"");
    private static final Pattern DIGEST_RUN = Pattern.compile(
            "Digest schedule ran on (\\S+) from (\\S+) to (\\S+)");
    private static final Pattern TOKEN_INDEX = Pattern.compile("\"index\":(\\d+)");
    private static final Pattern TOKEN_GAPS = Pattern.compile("\"gaps\":\\[([^\\]]*)\\]");

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = java.util.Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void theSurvivorOfAKillDashNineTakesOverAndTheReadModelsEqualASingleNodeReplay() throws Exception {
        Path store = dir.resolve("store");
        EmbeddedMongoProcess mongo = EmbeddedMongoProcess.start(store, dir.resolve("mongo.log"));
        started.add(mongo);
        MongoClient client = MongoClients.create(mongo.uri());
        started.add(client);
        MongoDatabase ledger = client.getDatabase("ccm_ledger");

        // the first instance, and beside it on a database of its own the single instance that will rebuild the
        // read models from a copy of the ledger at the end (started now, in parallel, to keep the test short)
        phase("started");
        ExecutorService starting = Executors.newFixedThreadPool(2);
        Future<ServiceProcess> replaying = starting.submit(() -> node(store, "replay", Map.of(
                "CCM_MONGO_DATABASE", "replay", "CCM_BILLING_SEGMENTS", "1", "CCM_AUDIT_INDEX_SEGMENTS", "1")));
        ServiceProcess first = starting.submit(() -> node(store, "a", Map.of())).get();
        ServiceProcess second = node(store, "b", Map.of());
        ServiceProcess single = replaying.get();
        starting.shutdown();
        String firstNode = first.pid() + "@";
        String secondNode = second.pid() + "@";

        phase("nodes");
        for (String patient : PATIENTS) {
            billablePatient(first, patient);
        }
        phase("patients");
        closeOnBothAtOnce(first, second);

        phase("closed");
        await().atMost(DEADLINE).untilAsserted(() -> {
            for (String processor : List.of("billing", "audit-index")) {
                assertThat(owners(ledger, processor)).as(processor + " spread over both instances")
                        .anyMatch(o -> o.startsWith(firstNode)).anyMatch(o -> o.startsWith(secondNode));
            }
        });

        // the burst: four clients on each instance; the first is killed once 150 commands were acknowledged
        // one minute each, in an open past month, none overlapping another (overlapping time is counted once)
        String month = "2026-10";
        Instant monthStart = Instant.parse(month + "-05T00:00:00Z"); // inside the month in every zone
        AtomicInteger minute = new AtomicInteger();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger afterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        Instant burstStart = Instant.now();
        for (int c = 0; c < 8; c++) {
            ServiceProcess target = c % 2 == 0 ? first : second;
            int clientNo = c;
            running.add(clients.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String patient = PATIENTS.get((clientNo + i) % PATIENTS.size());
                    String entryId = "e-" + clientNo + "-" + i;
                    boolean late = i % 10 == 9;
                    String body = PatientMother.careMinutes(entryId, "CLINICAL_STAFF", late
                            ? "2026-09-" + (11 + clientNo) + "T" + String.format("%02d", i % 24) + ":00:00Z"
                            : monthStart.plus(minute.getAndIncrement(), ChronoUnit.MINUTES).toString(),
                            late ? 20 : 1);
                    try {
                        HttpResponse<String> response = post(target, patientPath(patient) + "/care-minutes", body);
                        if (response.statusCode() == 201) {
                            acknowledged.add(entryId);
                            if (killed.get()) {
                                afterKill.incrementAndGet();
                            }
                        }
                    } catch (IOException refused) {
                        if (target == first && killed.get()) {
                            return null;
                        }
                    }
                }
                return null;
            }));
        }
        await().atMost(DEADLINE).until(() -> acknowledged.size() >= 150);
        Instant killedAt = Instant.now();
        first.killHard();
        killed.set(true);
        int ackedBeforeKill = acknowledged.size();

        phase("killed");
        Instant claimedAt = awaitSurvivorHoldsEverything(ledger, firstNode, secondNode);
        await().atMost(DEADLINE).until(() -> afterKill.get() >= 100);
        stop.set(true);
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();
        Instant burstEnd = Instant.now();

        phase("burst");
        // every acknowledged command is in the ledger, and the ledger verifies
        Map<String, Document> entries = new HashMap<>();
        for (Document event : ledger.getCollection("events").find()) {
            if (String.valueOf(event.get("payloadType")).endsWith("CareMinutesLogged")) {
                Matcher entry = ENTRY_ID.matcher(event.getString("payload"));
                assertThat(entry.find()).isTrue();
                entries.put(entry.group(1), event);
            }
        }
        assertThat(entries.keySet()).containsAll(acknowledged);
        assertThat(new LedgerVerifier(new LedgerCollections(ledger)).verifyLedger().firstBreak()).isNull();

        phase("verified");
        // the read models caught up; the survivor's monthly minutes are the ledger's sum (no event counted twice)
        awaitCaughtUp(ledger, dir);
        for (String patient : PATIENTS) {
            int sum = entries.values().stream()
                             .filter(e -> e.getString("aggregateIdentifier").equals(PRACTICE + "/" + patient))
                             .filter(e -> group(STARTED_AT, e.getString("payload")).startsWith(month))
                             .mapToInt(e -> Integer.parseInt(group(MINUTES, e.getString("payload"))))
                             .sum();
            HttpResponse<String> minutes = get(second, patientPath(patient) + "/minutes/" + month);
            assertThat(minutes.statusCode()).isEqualTo(200);
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(minutes.body()).get("minutes")
                                                                        .asInt()).as(patient).isEqualTo(sum);
        }

        phase("minutes");
        // no statement or adjustment issued twice
        Map<String, Integer> statements = new HashMap<>();
        Map<String, Set<String>> triggers = new HashMap<>();
        int adjustments = 0;
        for (Document event : ledger.getCollection("events").find()) {
            String type = String.valueOf(event.get("payloadType"));
            String stream = event.getString("aggregateIdentifier");
            if (type.endsWith("BillingStatementIssued")) {
                statements.merge(stream, 1, Integer::sum);
            } else if (type.endsWith("BillingAdjustmentIssued")) {
                adjustments++;
                Document payload = Document.parse(event.getString("payload"));
                assertThat(payload.getList("lines", Object.class))
                        .as("an adjustment changes the lines").isNotEqualTo(payload.getList("previousLines", Object.class));
                for (String trigger : payload.getList("triggeredBy", String.class)) {
                    assertThat(triggers.computeIfAbsent(stream, s -> new HashSet<>()).add(trigger))
                            .as("event " + trigger + " adjusted " + stream + " once").isTrue();
                }
            }
        }
        assertThat(statements).as("one statement per patient-month").hasSize(PATIENTS.size())
                              .allSatisfy((stream, count) -> assertThat(count).as(stream).isEqualTo(1));
        assertThat(adjustments).as("the late entries adjusted the closed month").isPositive();

        // the digest schedule never ran on both at once, and the survivor took it over
        List<Run> runs = new ArrayList<>();
        runs.addAll(digestRuns(dir.resolve("a.log")));
        runs.addAll(digestRuns(dir.resolve("b.log")));
        runs.sort((x, y) -> x.from().compareTo(y.from()));
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).from()).as("a run began before the previous one ended on another node")
                                          .isAfterOrEqualTo(runs.get(i - 1).to());
        }
        assertThat(runs).anySatisfy(r -> assertThat(r.node()).startsWith(secondNode))
                        .anySatisfy(r -> assertThat(r.from()).isAfter(killedAt));

        // a single instance rebuilds every read model from a copy of the ledger: the same documents
        awaitCaughtUp(ledger, dir); // the reads above recorded accesses, which the audit index posts
        Map<String, Map<Object, Document>> shared = readModels(ledger);
        second.stop();
        phase("stopped");
        MongoDatabase replay = client.getDatabase("replay");
        copyLedger(ledger, replay);
        phase("copied");
        awaitCaughtUp(replay, dir);
        single.stop();
        phase("replayed");
        Map<String, Map<Object, Document>> rebuilt = readModels(replay);
        assertThat(rebuilt.keySet()).isEqualTo(shared.keySet());
        for (String collection : shared.keySet()) {
            assertThat(rebuilt.get(collection).keySet()).as(collection).isEqualTo(shared.get(collection).keySet());
            for (Object id : shared.get(collection).keySet()) {
                assertThat(rebuilt.get(collection).get(id)).as(collection + " " + id)
                                                           .isEqualTo(shared.get(collection).get(id));
            }
        }

        double seconds = Duration.between(burstStart, burstEnd).toMillis() / 1000.0;
        System.out.printf("two-instances: %d commands acknowledged in %.1f s (%.0f/s), %d before the kill; "
                          + "every segment held by the survivor %.1f s after the kill (claim timeout %d s); "
                          + "%d adjustments, %d digest runs%n",
                          acknowledged.size(), seconds, acknowledged.size() / seconds, ackedBeforeKill,
                          Duration.between(killedAt, claimedAt).toMillis() / 1000.0, CLAIM_TIMEOUT.toSeconds(),
                          adjustments, runs.size());
    }

    private final long testStart = System.nanoTime();

    private void phase(String name) {
        System.out.printf("two-instances: %s at %.1f s%n", name, (System.nanoTime() - testStart) / 1e9);
    }

    private ServiceProcess node(Path store, String name, Map<String, String> environment) throws IOException {
        Map<String, String> env = new HashMap<>(environment);
        env.put("CCM_MONGO_URI", EmbeddedMongoProcess.uri(store));
        // the replaying instance only catches up: compiled quickly, it starts sooner
        List<String> jvm = name.equals("replay") ? List.of("-Xmx256m", "-XX:TieredStopAtLevel=1")
                : List.of("-Xmx320m");
        ServiceProcess service = ServiceProcess.start(
                store, dir.resolve(name + ".log"), jvm, env,
                List.of("--ccm.security.dev-issuer=on", "--ccm.ledger.claim-timeout=" + CLAIM_TIMEOUT.toSeconds() + "s",
                        "--ccm.ledger.commit-deadline=3s", "--ccm.ledger.gap-timeout=8s",
                        "--ccm.integrity.digest-interval=" + (name.equals("replay") ? "0" : "1s"),
                        "--logging.level.org.axonframework=WARN"));
        started.add(service);
        return service;
    }

    private static String patientPath(String patient) {
        return "/api/v1/practices/" + PRACTICE + "/patients/" + patient;
    }

    /** A patient billable in 2026: consent 1 Jan 2025, care plan 2 Jan 2025, no initiating visit, 25 minutes in 2026-09. */
    private static void billablePatient(ServiceProcess service, String patient) throws Exception {
        String enrollment = PatientMother.enrollment(patient).replace(
                "\"qualifiedMedicareBeneficiary\":false",
                "\"qualifiedMedicareBeneficiary\":false,\"initiatingVisitRequired\":false");
        assertThat(post(service, "/api/v1/practices/" + PRACTICE + "/patients", enrollment).statusCode())
                .isEqualTo(201);
        assertThat(post(service, patientPath(patient) + "/consents",
                        PatientMother.consent().replace("2026-01-01T15:00:00Z", "2025-01-01T15:00:00Z"))
                           .statusCode()).isEqualTo(201);
        String plan = PatientMother.carePlan("2025-01-02T15:00:00Z", "2025-01-02T16:00:00Z");
        await().atMost(DEADLINE).untilAsserted(() -> {
            HttpResponse<String> revised = post(service, patientPath(patient) + "/care-plan/revisions", plan);
            assertThat(revised.statusCode()).as(revised.body()).isEqualTo(201);
        });
        assertThat(post(service, patientPath(patient) + "/care-minutes",
                        PatientMother.careMinutes("first-" + patient, "CLINICAL_STAFF", "2026-09-10T14:00:00Z", 25))
                           .statusCode()).isEqualTo(201);
    }

    /** The same month closed through both instances at the same moment, each retried until it answers 200. */
    private static void closeOnBothAtOnce(ServiceProcess first, ServiceProcess second) throws Exception {
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (ServiceProcess service : List.of(first, second)) {
                answers.add(both.submit(() -> {
                    String path = "/api/v1/practices/" + PRACTICE + "/billing/" + CLOSED + "/close";
                    HttpResponse<String>[] last = new HttpResponse[1];
                    await().atMost(DEADLINE).until(() -> (last[0] = post(service, path, "")).statusCode() == 200);
                    return last[0].body();
                }));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get()).doesNotContain("NOT_BILLABLE");
            }
        } finally {
            both.shutdown();
        }
    }

    /** Owners of a processor's segments. */
    private static Set<String> owners(MongoDatabase ledger, String processor) {
        Set<String> owners = new HashSet<>();
        for (Document token : ledger.getCollection("tokens").find(new Document("processorName", processor))) {
            owners.add(String.valueOf(token.get("owner")));
        }
        return owners;
    }

    /** Waits until the survivor owns every segment of every processor; returns when it first did. */
    private static Instant awaitSurvivorHoldsEverything(MongoDatabase ledger, String dead, String survivor) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (Document token : ledger.getCollection("tokens").find()) {
                if (token.get("processorName") != null
                        && !String.valueOf(token.get("owner")).startsWith(survivor)) {
                    return false;
                }
            }
            return true;
        });
        return Instant.now();
    }

    /**
     * Waits until every processor's every segment has passed the ledger's last global index, with no gap undecided.
     * Failing, it says where each token stood and adds the nodes' warnings and errors from their logs in {@code dir}
     * (the temporary directory goes with the test).
     */
    private static void awaitCaughtUp(MongoDatabase database, Path dir) {
        try {
            awaitEveryTokenAtHead(database);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // say which processor, segment and gap held it up, and where the counter stood
            StringBuilder state = new StringBuilder();
            Document counter = database.getCollection("counters").find(new Document("_id", "globalIndex")).first();
            state.append("counter ").append(counter == null ? null : counter.get("value"));
            for (Document token : database.getCollection("tokens").find()) {
                if (token.get("processorName") != null) {
                    String json = token.getString("token");
                    state.append("; ").append(token.get("processorName")).append('/').append(token.get("segment"))
                         .append(" owner ").append(token.get("owner")).append(' ').append(json)
                         .append(json != null && everyGapDecided(database, group(TOKEN_GAPS, json))
                                 ? " (gaps decided)" : " (a gap without a tombstone)");
                }
            }
            throw new AssertionError("the read models did not catch up within " + CATCH_UP + ": " + state
                                     + warningsOf(dir), e);
        }
    }

    /**
     * Catching up after the kill: the survivor claims the dead node's segments, handles the burst and waits out a gap
     * the dead node left; on a machine busy with other tests this has taken over a minute.
     */
    private static final Duration CATCH_UP = Duration.ofSeconds(180);

    private static void awaitEveryTokenAtHead(MongoDatabase database) {
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(250)).until(() -> {
            Document counter = database.getCollection("counters").find(new Document("_id", "globalIndex")).first();
            long head = counter == null ? 0 : counter.get("value", Number.class).longValue();
            int tokens = 0;
            for (Document token : database.getCollection("tokens").find()) {
                if (token.get("processorName") == null) {
                    continue;
                }
                tokens++;
                String json = token.getString("token");
                if (json == null || Long.parseLong(group(TOKEN_INDEX, json)) < head
                        || !everyGapDecided(database, group(TOKEN_GAPS, json))) {
                    return false;
                }
            }
            return tokens >= 7;
        });
    }

    /** The last warnings and errors of each node's log ({@code *.log} in {@code dir}), for a failure's message. */
    private static String warningsOf(Path dir) {
        StringBuilder warnings = new StringBuilder();
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log).stream()
                                          .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")
                                                       || l.startsWith("Caused by"))
                                          .toList();
                warnings.append("\n").append(log.getFileName()).append(", last warnings and errors:");
                lines.subList(Math.max(0, lines.size() - 20), lines.size())
                     .forEach(l -> warnings.append("\n  ").append(l, 0, Math.min(l.length(), 300)));
            }
        } catch (IOException | RuntimeException e) {
            warnings.append("\n(the nodes' logs could not be read: ").append(e.getClass().getSimpleName()).append(')');
        }
        return warnings.toString();
    }

    /**
     * Whether each of a token's gaps is decided: its index holds a tombstone, so no event can come there. A processor
     * at the head keeps such a gap in its stored token until the next event passes it (a read that delivers nothing
     * does not move the token; Axon's own gap-aware stores behave so too), so an idle ledger after a kill shows the
     * dead node's reserved but unused index as a gap that is already settled.
     */
    private static boolean everyGapDecided(MongoDatabase database, String gaps) {
        for (String gap : gaps.split(",")) {
            if (gap.isBlank()) {
                continue;
            }
            Document slot = database.getCollection("events").find(new Document("_id", Long.parseLong(gap.strip())))
                                    .first();
            if (slot == null || !Boolean.TRUE.equals(slot.getBoolean("tombstone"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every read model's documents by id, arrays of plain values sorted and JSON text parsed: two segments, and a gap
     * filled late, deliver a patient's streams in another order than a replay does, so sets and maps may be built in
     * another order; what they hold must be the same.
     */
    private static Map<String, Map<Object, Document>> readModels(MongoDatabase database) {
        Map<String, Map<Object, Document>> models = new TreeMap<>();
        for (String name : database.listCollectionNames()) {
            if (name.startsWith("rm_") && !name.equals("rm_versions")) {
                Map<Object, Document> documents = new HashMap<>();
                for (Document document : database.getCollection(name).find()) {
                    documents.put(document.get("_id"), normalized(document));
                }
                models.put(name, documents);
            }
        }
        return models;
    }

    @SuppressWarnings("unchecked")
    private static Document normalized(Document document) {
        Document copy = new Document();
        document.forEach((key, value) -> {
            if (value instanceof List<?> list && list.stream().allMatch(v -> v instanceof Comparable<?>)
                    && list.stream().map(Object::getClass).distinct().count() <= 1) {
                List<Comparable<Object>> sorted = new ArrayList<>((List<Comparable<Object>>) list);
                sorted.sort(null);
                copy.put(key, sorted);
            } else if (value instanceof Document inner) {
                copy.put(key, normalized(inner));
            } else if (value instanceof String text && text.startsWith("{")) {
                // a record kept as JSON text: its maps compare whatever order their keys arrived in
                copy.put(key, normalized(Document.parse(text)));
            } else if (value instanceof org.bson.types.Binary bytes && bytes.getData().length > 0
                       && bytes.getData()[0] == '{') {
                // a record kept as UTF-8 JSON (the billing read model): the same
                copy.put(key, normalized(Document.parse(new String(bytes.getData(),
                                                                   java.nio.charset.StandardCharsets.UTF_8))));
            } else {
                copy.put(key, value);
            }
        });
        return copy;
    }

    /**
     * The ledger's collections into the replaying instance's database, the events first and in the order of their
     * global index (so that its tracker never sees a hole below a copied event); read models, tokens and leases stay
     * behind.
     */
    private static void copyLedger(MongoDatabase from, MongoDatabase to) {
        List<String> names = new ArrayList<>(List.of("events"));
        for (String name : from.listCollectionNames()) {
            if (!name.startsWith("rm_") && !Set.of("events", "tokens", "nodes", "leases").contains(name)) {
                names.add(name);
            }
        }
        for (String name : names) {
            List<Document> batch = new ArrayList<>();
            for (Document document : from.getCollection(name).find().sort(new Document("_id", 1))) {
                batch.add(document);
                if (batch.size() == 500) {
                    to.getCollection(name).insertMany(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                to.getCollection(name).insertMany(batch);
            }
        }
    }

    private record Run(String node, Instant from, Instant to) {
    }

    private static List<Run> digestRuns(Path log) throws IOException {
        List<Run> runs = new ArrayList<>();
        Matcher m = DIGEST_RUN.matcher(Files.readString(log));
        while (m.find()) {
            runs.add(new Run(m.group(1), Instant.parse(m.group(2)), Instant.parse(m.group(3))));
        }
        return runs;
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : "";
    }

    private static HttpResponse<String> post(ServiceProcess service, String path, String body) throws Exception {
        return service.http().send(HttpRequest.newBuilder(service.uri(path))
                                              .header("Content-Type", "application/json")
                                              .header("Authorization", service.bearer("nurse-1", PRACTICE))
                                              .timeout(Duration.ofSeconds(30))
                                              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                   HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(ServiceProcess service, String path) throws Exception {
        return service.http().send(HttpRequest.newBuilder(service.uri(path))
                                              .header("Authorization", service.bearer("nurse-1", PRACTICE))
                                              .timeout(Duration.ofSeconds(30)).build(),
                                   HttpResponse.BodyHandlers.ofString());
    }

    /** {@code embedded-mongo} in a JVM of its own, on a free port, with the in-memory backend. */
    private record EmbeddedMongoProcess(Process process, Path store) implements AutoCloseable {

        static EmbeddedMongoProcess start(Path store, Path log) throws IOException {
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process process = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classPath, "org.ccmledger.CcmLedgerApplication",
                    EmbeddedMongoCommand.NAME, "--data-dir=" + store, "--port=0", "--backend=memory")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            EmbeddedMongoProcess mongo = new EmbeddedMongoProcess(process, store);
            await().atMost(Duration.ofSeconds(60)).until(
                    () -> Files.exists(store.resolve(EmbeddedMongoServer.URI_FILE)) || !process.isAlive());
            assertThat(process.isAlive()).as("embedded-mongo started").isTrue();
            return mongo;
        }

        static String uri(Path store) throws IOException {
            return Files.readString(store.resolve(EmbeddedMongoServer.URI_FILE)).strip();
        }

        String uri() throws IOException {
            return uri(store);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
