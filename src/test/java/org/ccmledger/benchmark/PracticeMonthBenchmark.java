package org.ccmledger.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.ccmledger.identity.api.IdentityId;
import org.ccmledger.identity.api.IdentitySealer;
import org.ccmledger.identity.api.PatientIdentity;
import org.ccmledger.identity.api.PatientIdentityRecorded;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.axon.LedgerJson;
import org.ccmledger.platform.axon.ProcessorCatchUp;
import org.ccmledger.platform.security.Role;
import org.ccmledger.support.CmsFiles;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.ccmledger.support.PracticeMonthHistory;
import org.ccmledger.support.TestTokens;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.FileSystemUtils;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A practice's month at practice scale (issue 16 item 3, docs/performance.md "Months at practice scale"):
 * {@code month.patients} patients (default 10,000) with three to six care entries each ({@link PracticeMonthHistory}),
 * built through the store, then timed over HTTP: the practice month as JSON, CSV and NDJSON (first byte or line, and
 * whole), closing the month, closing it again, the practice's verification, the claims as CSV, FHIR and X12 (first
 * byte and whole), and the console's month page (first byte, whole first page) and totals.
 * <p>
 * Building: the first {@value #TEMPLATES} patients (every combination of entries, initiating visit and minutes that
 * {@link PracticeMonthHistory} makes) are imported through {@code POST …/import} into a template practice, so the
 * aggregates judge them; every patient of the measured practice is then a copy of its template patient's events with
 * the ids changed, appended through the service's {@link EventStorageEngine} a hundred patients per commit (hashed and
 * chained like any other event), with an identity of its own (sealed with the patient's key, an MBI of its own), so
 * that its claims can go out in an 837P. The benchmark waits until every read model has caught up before it times
 * anything.
 * <p>
 * {@code ./mvnw test -Pbenchmark -Dtest=PracticeMonthBenchmark [-Dmonth.patients=10000 -Dmonth.jfr=true]}. Prints
 * numbers; asserts what every answer holds, nothing about time.
 */
@Tag("benchmark")
@TestPropertySource(properties = {"ccm.mongo.embedded.backend=h2",
                                  "ccm.mongo.embedded.data-dir=" + PracticeMonthBenchmark.DATA})
class PracticeMonthBenchmark extends HttpTestBase {

    static final String DATA = "target/practice-month-benchmark-data";
    private static final int PATIENTS = Integer.getInteger("month.patients", 10_000);
    /** Patterns of {@link PracticeMonthHistory}: entries repeat every 4 patients, visits every 5, minutes every 9. */
    private static final int TEMPLATES = 180;
    private static final int PATIENTS_PER_COMMIT = 100;
    private static final List<String> PROCESSORS = List.of("patients", "audit-index", "monthly-minutes", "billing",
                                                           "billing-adjustments", "care-plans", "consents");

    /**
     * {@code month.practice}: the practice of an earlier run in the same data directory ({@code auto}: the one found
     * there), measured again without building it (its month closed before, wholly or in part).
     */
    private static final String AGAIN = System.getProperty("month.practice");
    /**
     * Also records the first and the second read of the month's JSON with Flight Recorder into
     * target/practice-month-json.jfr and target/practice-month-json-again.jfr.
     */
    private static final boolean JFR = Boolean.getBoolean("month.jfr");
    /**
     * {@code month.identities=false}: no identities (the build of the sessions before the fifteenth; the 837P is then
     * not measured, every claim held).
     */
    private static final boolean IDENTITIES = !"false".equals(System.getProperty("month.identities"));

    static {
        if (AGAIN == null) {
            // a fresh store each run: no processor replays an earlier run's practices
            FileSystemUtils.deleteRecursively(Path.of(DATA).toFile());
        }
    }

    @Autowired
    private EventStorageEngine engine;
    @Autowired
    private ProcessorCatchUp catchUp;
    @Autowired
    private com.mongodb.client.MongoDatabase database;
    @Autowired
    private IdentitySealer sealer;

    private final ObjectMapper json = LedgerJson.mapper();
    private final HttpTimings timings = new HttpTimings();

    @Test
    void practiceMonth() throws Exception {
        if (JFR) {
            FlightRecordings.payFirstRecording();
        }
        String stamp = Long.toString(System.nanoTime(), 36);
        String template = "pmt-" + stamp;
        String practice = AGAIN == null ? "pmb-" + stamp : !"auto".equals(AGAIN) ? AGAIN
                : earlierPractice();
        if (AGAIN == null) {
            importFeeData();
            build(template, practice);
        }
        for (String processor : PROCESSORS) {
            awaitCaughtUp(processor);
        }
        int last = PATIENTS - 1;
        int lastMinutes = IntStream.rangeClosed(1, PracticeMonthHistory.entries(last))
                                   .map(e -> PracticeMonthHistory.minutes(last, e)).sum();
        client().get().uri("/api/v1/practices/" + practice + "/patients/" + PracticeMonthHistory.patientId(last)
                           + "/billing/" + PracticeMonthHistory.MONTH)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.minutes.counted").isEqualTo(lastMinutes);
        measure(practice);
    }

    /** The measured practice of the earlier run ({@code -Dmonth.practice=auto}): the one whose month lists patients. */
    private String earlierPractice() {
        var months = database.getCollection("rm_billing_practice_months");
        for (org.bson.Document month : months.find()) {
            String id = month.getString("_id");
            if (id.startsWith("pmb-")) {
                return id.substring(0, id.indexOf('|'));
            }
        }
        throw new IllegalStateException("no practice of an earlier run in " + DATA);
    }

    /**
     * Prices the benchmark's year: the test fixture of the 2026 CMS file imported as {@value PracticeMonthHistory#MONTH}'s
     * year, so that claims have amounts and can go out in an 837P (an unknown amount withholds the claim, R15).
     */
    private void importFeeData() throws IOException {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(CmsFiles.relativeValueFile().getBytes(StandardCharsets.ISO_8859_1));
        }
        String year = PracticeMonthHistory.MONTH.substring(0, 4);
        client().post().uri("/api/v1/reference/fee-schedules/" + year + "/imports?cf=33.4009&source=benchmark-fixture")
                .contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(gzip.toByteArray()).exchange()
                .expectStatus().isCreated();
    }

    /** Imports the template practice and appends the measured practice's events, copied from it. */
    private void build(String template, String practice) throws Exception {
        long started = System.nanoTime();
        int templates = Math.min(TEMPLATES, PATIENTS);
        clientAs("admin-1", Set.of(Role.ADMIN)).mutate().responseTimeout(Duration.ofMinutes(10)).build().post()
                .uri("/api/v1/practices/" + template + "/import").contentType(MediaType.APPLICATION_NDJSON)
                .accept(MediaType.APPLICATION_NDJSON).bodyValue(PracticeMonthHistory.ndjson(templates)).exchange()
                .expectStatus().isOk().expectBody().returnResult();
        Map<Integer, List<DomainEventMessage<?>>> byTemplate = templateEvents(template, templates);
        double imported = (System.nanoTime() - started) / 1e9;

        // the identities first: recorded after the other events, they gave the compiler half a minute to finish with
        // the build's code before the month was read, and the first read was no longer comparable with earlier runs
        double identified = IDENTITIES ? recordIdentities(practice) : 0;
        long appendStart = System.nanoTime();
        int events = 0;
        for (int from = 0; from < PATIENTS; from += PATIENTS_PER_COMMIT) {
            List<EventMessage<?>> commit = new ArrayList<>();
            for (int p = from; p < Math.min(PATIENTS, from + PATIENTS_PER_COMMIT); p++) {
                int t = p % TEMPLATES;
                UnaryOperator<String> ids = ids(template, t, practice, p);
                for (DomainEventMessage<?> event : byTemplate.get(t)) {
                    commit.add(copy(event, ids));
                }
            }
            engine.appendEvents(commit);
            events += commit.size();
        }
        double appended = (System.nanoTime() - appendStart) / 1e9;
        long waitStart = System.nanoTime();
        for (String processor : PROCESSORS) {
            awaitCaughtUp(processor);
        }
        double caughtUp = (System.nanoTime() - waitStart) / 1e9;
        System.out.printf(Locale.ROOT, "%nPractice month of %d patients (%s): %d template patients imported in %.1f s; "
                                       + "identities sealed and recorded in %.1f s; %d events appended in %.1f s "
                                       + "(%.0f events/s); read models caught up %.1f s later; load average %s%n",
                          PATIENTS, practice, templates, imported, identified, events, appended, events / appended,
                          caughtUp, load());
    }

    /** Each patient's identity, sealed with its key, a hundred patients per commit; the seconds it took. */
    private double recordIdentities(String practice) throws Exception {
        long started = System.nanoTime();
        PatientIdentity like = json.readValue(PatientMother.IDENTITY, PatientIdentity.class);
        for (int from = 0; from < PATIENTS; from += PATIENTS_PER_COMMIT) {
            List<EventMessage<?>> commit = new ArrayList<>();
            for (int p = from; p < Math.min(PATIENTS, from + PATIENTS_PER_COMMIT); p++) {
                EnrollmentId patient = EnrollmentId.of(practice, PracticeMonthHistory.patientId(p));
                PatientIdentity identity = new PatientIdentity(mbi(p), like.givenName(), like.familyName(),
                                                               like.birthDate(), like.sex(), like.address());
                IdentityId id = new IdentityId(patient);
                commit.add(new GenericDomainEventMessage<>("PatientIdentity", id.toString(), 0,
                                                           new PatientIdentityRecorded(id, 1,
                                                                                       sealer.seal(patient, identity)),
                                                           MetaData.with("actor", "admin-1")));
            }
            engine.appendEvents(commit);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** An MBI in CMS's format, a different one for each patient number below a million. */
    static String mbi(int p) {
        String d = String.format(Locale.ROOT, "%06d", p);
        return "1E" + d.charAt(0) + d.charAt(1) + "T" + d.charAt(2) + d.charAt(3) + "MK" + d.charAt(4) + d.charAt(5);
    }

    /** What {@code read} answers, recorded with Flight Recorder into target/{@code name}.jfr when asked to. */
    private static <T> T recorded(String name, java.util.concurrent.Callable<T> read) throws Exception {
        if (!JFR) {
            return read.call();
        }
        // a read of a second or two: Java sampled every millisecond (the profile's 10 ms gave too few samples)
        try (jdk.jfr.Recording recording = FlightRecordings.start(true)) {
            T answer = read.call();
            recording.stop();
            recording.dump(Path.of("target", name + ".jfr"));
            return answer;
        }
    }

    private void measure(String practice) throws Exception {
        int last = PATIENTS - 1;
        System.out.printf(Locale.ROOT, "%nMeasuring practice %s (%d patients); load average %s%n", practice, PATIENTS,
                          load());

        String base = "http://localhost:" + port;
        String api = base + "/api/v1/practices/" + practice + "/billing/" + PracticeMonthHistory.MONTH;
        String claims = base + "/api/v1/practices/" + practice + "/claims/" + PracticeMonthHistory.MONTH;
        String token = tokens().mint("biller-b", TestTokens.ALL_ROLES, practice);
        Map<String, HttpTimings.Timing> figures = new LinkedHashMap<>() {
            @Override
            public HttpTimings.Timing put(String what, HttpTimings.Timing t) {
                // printed at once, so that what was measured survives a later failure
                System.out.printf(Locale.ROOT, "  %s: status %d, first byte/line %.3f s, whole %.3f s, %,d bytes; "
                                               + "load average %s%n", what, t.status(), t.first(), t.whole(),
                                  t.body().length(), load());
                return super.put(what, t);
            }
        };

        HttpTimings.Timing monthJson = recorded("practice-month-json",
                                                () -> get(api, token, "application/json", false));
        assertThat(monthJson.body().contains("\"" + PracticeMonthHistory.patientId(last) + "\"")
                   && monthJson.body().endsWith("}")).as("the month's JSON names the last patient").isTrue();
        figures.put("practice month JSON", monthJson);
        HttpTimings.Timing csv = get(api, token, "text/csv", true);
        assertThat(csv.body().lines().count()).isGreaterThan(PATIENTS);
        figures.put("practice month CSV", csv);
        HttpTimings.Timing ndjson = get(api, token, "application/x-ndjson", true);
        assertThat(ndjson.body().lines().count()).isEqualTo(PATIENTS);
        figures.put("practice month NDJSON", ndjson);
        // the first read pays for cold caches (the JIT's and the store's): read again, as a biller reloading would
        HttpTimings.Timing monthJsonAgain = recorded("practice-month-json-again",
                                                     () -> get(api, token, "application/json", false));
        assertThat(monthJsonAgain.body().contains("\"" + PracticeMonthHistory.patientId(last) + "\"")
                   && monthJsonAgain.body().endsWith("}")).as("the month's JSON names the last patient").isTrue();
        figures.put("practice month JSON, again", monthJsonAgain);

        // the console reads before the close, so that a close cut short does not cost them
        String session = HttpTimings.signIn(anonymous(), "biller-b", "billing", practice);
        String page = base + "/console/practices/" + practice + "/months/" + PracticeMonthHistory.MONTH;
        HttpTimings.Timing monthPage = timings.time(HttpRequest.newBuilder(URI.create(page))
                                                               .header("Cookie", "CCM_CONSOLE=" + session).GET(),
                                                    false);
        assertThat(monthPage.body().contains("data-patient=\"" + PracticeMonthHistory.patientId(0) + "\""))
                .as("the first page's first patient").isTrue();
        figures.put("console month page (first 50 rows)", monthPage);
        HttpTimings.Timing totals = timings.time(HttpRequest.newBuilder(URI.create(page + "/totals"))
                                                            .header("Cookie", "CCM_CONSOLE=" + session)
                                                            .header("HX-Request", "true").GET(), false);
        assertThat(totals.body().contains("id=\"total-amount\"")).as("the totals fragment").isTrue();
        figures.put("console totals fragment", totals);

        // the month's OIG risk scan alone: every close answers with it
        HttpTimings.Timing scan = get(base + "/api/v1/practices/" + practice + "/audit/risks/"
                                      + PracticeMonthHistory.MONTH, token, "application/json", false);
        assertThat(scan.body().contains("\"patientMonths\"")).as("a risk scan report").isTrue();
        figures.put("month's risk scan", scan);

        HttpTimings.Timing close = timings.timeAny(HttpRequest.newBuilder(URI.create(api + "/close"))
                                                           .header("Authorization", "Bearer " + token)
                                                           .POST(HttpRequest.BodyPublishers.noBody()), false);
        figures.put("month close", close);
        long issued = count(close.body(), "\"ISSUED\"") + (AGAIN != null ? count(close.body(), "\"ALREADY_CLOSED\"") : 0);
        assertThat(close.status()).isEqualTo(200);
        assertThat(issued).isPositive();
        HttpTimings.Timing again = timings.time(HttpRequest.newBuilder(URI.create(api + "/close"))
                                                           .header("Authorization", "Bearer " + token)
                                                           .POST(HttpRequest.BodyPublishers.noBody()), false);
        assertThat(count(again.body(), "\"ISSUED\"")).isZero();
        issued = count(again.body(), "\"ALREADY_CLOSED\"");
        figures.put("month close again", again);
        HttpTimings.Timing verification = get(api + "/verification", token, "application/json", false);
        assertThat(verification.body().contains("\"match\":false")).as("a statement that does not match").isFalse();
        assertThat(count(verification.body(), "\"statementId\"")).isEqualTo(issued);
        figures.put("practice verification", verification);

        HttpTimings.Timing claimsCsv = get(claims, token, "text/csv", true);
        figures.put("claims CSV", claimsCsv);
        HttpTimings.Timing fhir = get(claims, token, "application/fhir+json", false);
        assertThat(fhir.body().contains("\"resourceType\"")).as("a FHIR bundle").isTrue();
        figures.put("claims FHIR", fhir);
        // an 837P needs the practice's profile (and each patient's identity, recorded when the practice was built)
        client().put().uri("/api/v1/practices/" + practice + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PatientMother.PRACTICE_PROFILE).exchange().expectStatus().isOk();
        HttpTimings.Timing x12 = timings.timeAny(HttpRequest.newBuilder(URI.create(claims))
                                                         .header("Authorization", "Bearer " + token)
                                                         .header("Accept", "application/edi-x12").GET(), false);
        if (x12.body().startsWith("ISA")) {
            figures.put("claims X12 837P", x12);
            System.out.printf(Locale.ROOT, "  claims X12 837P: %d claims (CLM), %d transaction sets (ST)%n",
                              count(x12.body(), "~CLM*"), count(x12.body(), "~ST*"));
            // the next export reads the whole export ledger to find what changed since: nothing did
            HttpTimings.Timing next = timings.timeAny(HttpRequest.newBuilder(URI.create(claims))
                                                              .header("Authorization", "Bearer " + token)
                                                              .header("Accept", "application/edi-x12").GET(), false);
            assertThat(next.status()).as("nothing new to send").isEqualTo(404);
            figures.put("claims X12, next export (nothing new)", next);
        } else {
            System.out.printf(Locale.ROOT, "  claims X12 837P: not measured, answered %d: %.300s%n", x12.status(),
                              x12.body());
        }

        System.out.printf(Locale.ROOT, "%n| %,d patients | first byte / line | whole | bytes |%n|---|---:|---:|---:|%n",
                          PATIENTS);
        new LinkedHashMap<>(figures).forEach((what, t) -> System.out.printf(Locale.ROOT, "| %s | %.3f s | %.3f s | %,d |%n",
                                                                           what, t.first(), t.whole(),
                                                                           t.body().length()));
        System.out.printf(Locale.ROOT, "%d statements issued; load average after the run %s%n", issued, load());
    }

    private HttpTimings.Timing get(String url, String token, String accept, boolean untilLine) throws Exception {
        return timings.time(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                                       .header("Accept", accept).GET(), untilLine);
    }

    /** The template practice's events by template patient, in stream order (enrolment stream first). */
    private Map<Integer, List<DomainEventMessage<?>>> templateEvents(String template, int templates) {
        Map<Integer, List<DomainEventMessage<?>>> byTemplate = new HashMap<>();
        try (var stream = engine.readEvents(null, false)) {
            stream.forEach(event -> {
                if (event instanceof DomainEventMessage<?> domain
                        && domain.getAggregateIdentifier().startsWith(template + "/")) {
                    String patient = domain.getAggregateIdentifier().split("/")[1];
                    int t = Integer.parseInt(patient.substring("pm-".length()));
                    byTemplate.computeIfAbsent(t, k -> new ArrayList<>()).add(domain);
                }
            });
        }
        assertThat(byTemplate).hasSize(templates);
        return byTemplate;
    }

    private static UnaryOperator<String> ids(String template, int t, String practice, int p) {
        String from = PracticeMonthHistory.patientId(t);
        String to = PracticeMonthHistory.patientId(p);
        return s -> s.replace(from, to).replace(template, practice);
    }

    /** The template event as patient {@code p}'s: its ids changed in the stream, the payload and the metadata. */
    private DomainEventMessage<?> copy(DomainEventMessage<?> event, UnaryOperator<String> ids) throws Exception {
        Object payload = json.readValue(ids.apply(json.writeValueAsString(event.getPayload())),
                                        event.getPayload().getClass());
        Map<String, Object> metaData = new HashMap<>();
        event.getMetaData().forEach((k, v) -> metaData.put(k, v instanceof String s ? ids.apply(s) : v));
        return new GenericDomainEventMessage<>(event.getType(), ids.apply(event.getAggregateIdentifier()),
                                               event.getSequenceNumber(), payload, MetaData.from(metaData));
    }

    private void awaitCaughtUp(String processor) {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (true) {
            try {
                catchUp.await(processor, Duration.ofSeconds(30));
                return;
            } catch (RuntimeException behind) {
                if (System.nanoTime() > deadline) {
                    throw behind;
                }
            }
        }
    }

    private static long count(String body, String token) {
        int n = 0;
        for (int at = body.indexOf(token); at >= 0; at = body.indexOf(token, at + 1)) {
            n++;
        }
        return n;
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
