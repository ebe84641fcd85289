package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.awaitility.Awaitility;
import org.bson.Document;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

import com.mongodb.client.MongoDatabase;

/**
 * The ledger's hot queries are key lookups on the embedded default (H2): a patient's month worked through the API,
 * closed, exported, verified and read back as a compliance officer and an auditor would, leaves no query that the
 * store answered by reading a whole collection ({@code ccmScans}, {@link StoreScans}), apart from the few that read a
 * small, bounded collection on purpose: the token store's rows of one processor (one per segment).
 */
@TestPropertySource(properties = {"ccm.mongo.embedded.backend=h2",
                                  "ccm.mongo.embedded.data-dir=target/key-lookups-test-data"})
class KeyLookupsHttpTest extends HttpTestBase {

    /** Collections that may be read whole by a filter: small and bounded by configuration, not by the practice. */
    private static final Set<String> BOUNDED = Set.of("tokens");

    @Autowired
    MongoDatabase database;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void aPatientsMonthWorkedClosedExportedAndAuditedReadsNoCollectionWhole() {
        String practice = "kl-" + System.nanoTime();
        String patient = "/api/v1/practices/" + practice + "/patients/kl-1";
        patientWithClosedSeptember(practice, "kl-1");
        patientWithClosedSeptember(practice, "kl-2");
        post(patient + "/care-minutes", PatientMother.careMinutes("kl-1-e2", "CLINICAL_STAFF",
                                                                  "2026-09-11T14:00:00Z", 12))
                .expectStatus().isCreated();
        post(patient + "/care-minutes/kl-1-e2/correction", "{\"minutes\":15,\"reason\":\"typo\"}")
                .expectStatus().is2xxSuccessful();
        post(patient + "/care-minutes", PatientMother.careMinutes("kl-1-e3", "CLINICAL_STAFF",
                                                                  "2026-09-12T14:00:00Z", 5))
                .expectStatus().isCreated();
        post(patient + "/care-minutes/kl-1-e3/void", "{\"reason\":\"wrong patient\"}").expectStatus()
                .is2xxSuccessful();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> client().get().uri(patient + "/minutes/2026-09").exchange().expectStatus().isOk()
                              .expectBody().jsonPath("$.minutes").isEqualTo(45));
        client().post().uri("/api/v1/practices/" + practice + "/billing/2026-09/close").exchange()
                .expectStatus().isOk();
        for (String read : new String[] {patient, patient + "/consents", patient + "/care-plan",
                patient + "/care-plan/history", patient + "/billing/2026-09", patient + "/timeline",
                patient + "/history?asOf=" + java.time.Instant.now(), patient + "/audit-packet/2026-09",
                patient + "/verification?months=2026-09", patient + "/billing/2026-09/verification",
                "/api/v1/practices/" + practice + "/billing/2026-09",
                "/api/v1/practices/" + practice + "/billing/2026-09/verification",
                "/api/v1/practices/" + practice + "/audit/risks/2026-09",
                "/api/v1/practices/" + practice + "/audit/events?limit=10"}) {
            client().get().uri(read).accept(MediaType.APPLICATION_JSON).exchange().expectStatus()
                    .value(status -> assertThat(status).as(read).isEqualTo(200));
        }
        client().get().uri("/api/v1/practices/" + practice + "/claims/2026-09")
                .accept(MediaType.parseMediaType("text/csv")).exchange().expectStatus().isOk();

        Map<String, Number> scans = new TreeMap<>();
        Document answer = database.runCommand(new Document("ccmScans", 1));
        answer.get("filtered", Document.class).forEach((namespace, count) -> {
            String collection = namespace.substring(namespace.indexOf('.') + 1);
            if (!BOUNDED.contains(collection) && !collection.startsWith("system.")) {
                scans.put(namespace, (Number) count);
            }
        });
        assertThat(scans).as("collections read whole to answer a filtered query").isEmpty();
    }

    @Test
    void theScansAreAMetric() {
        long before = total();
        double counted = meters.get("ccm.embedded.store.scans").tag("filter", "filtered").functionCounter().count();
        long after = total();
        assertThat(counted).isBetween((double) before, (double) after);
        assertThat(meters.get("ccm.embedded.store.scans").tag("filter", "empty").functionCounter().count())
                .isNotNegative();
    }

    /** The store's commits and writes are metrics: a journaled write is counted as one that waited for a commit. */
    @Test
    void theCommitsAreMetrics() {
        double waitedBefore = meters.get("ccm.embedded.store.writes").tag("wait", "commit").functionCounter().count();
        double commitsBefore = meters.get("ccm.embedded.store.commits").tag("trigger", "write").functionCounter()
                                     .count();

        database.getCollection("commits_metric_probe").withWriteConcern(com.mongodb.WriteConcern.JOURNALED)
                .insertOne(new Document("_id", System.nanoTime()));

        assertThat(meters.get("ccm.embedded.store.writes").tag("wait", "commit").functionCounter().count())
                .isGreaterThanOrEqualTo(waitedBefore + 1);
        assertThat(meters.get("ccm.embedded.store.commits").tag("trigger", "write").functionCounter().count())
                .isGreaterThanOrEqualTo(commitsBefore + 1);
        assertThat(meters.get("ccm.embedded.store.commits").tag("trigger", "background").functionCounter().count())
                .isNotNegative();
        assertThat(meters.get("ccm.embedded.store.writes").tag("wait", "none").functionCounter().count())
                .isNotNegative();
    }

    /** The store file's size, how much of its chunks is live, and the rounds that rewrote sparse chunks. */
    @Test
    void theFilesSizeAndItsLiveShareAreMetrics() {
        assertThat(meters.get("ccm.embedded.store.file").gauge().value()).isPositive();
        assertThat(meters.get("ccm.embedded.store.chunks.live").gauge().value()).isBetween(0.0, 100.0);
        assertThat(meters.get("ccm.embedded.store.chunk.rewrites").functionCounter().count()).isNotNegative();
    }

    /** Every embedded-store series the Grafana dashboard reads is one the service exposes. */
    @Test
    void theDashboardsEmbeddedStorePanelsReadSeriesTheServiceExposes() throws Exception {
        String dashboard = java.nio.file.Files.readString(
                java.nio.file.Path.of("ops/grafana/dashboards/ccm-ledger.json"));
        Set<String> read = new java.util.TreeSet<>();
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("ccm_embedded_store_[a-z_]+").matcher(dashboard);
        while (names.find()) {
            read.add(names.group());
        }
        String scraped = client().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                                 .expectBody(String.class).returnResult().getResponseBody();
        Set<String> exposed = new java.util.TreeSet<>();
        for (String line : scraped.split("\n")) {
            java.util.regex.Matcher series = java.util.regex.Pattern.compile("^(ccm_embedded_store_[a-z_]+)[{ ]")
                                                                    .matcher(line);
            if (series.find()) {
                exposed.add(series.group(1));
            }
        }
        assertThat(read).contains("ccm_embedded_store_file_bytes", "ccm_embedded_store_chunks_live_percent",
                                  "ccm_embedded_store_chunk_rewrites_total", "ccm_embedded_store_commits_total");
        assertThat(exposed).containsAll(read);
    }

    /** Every filtered scan so far, over all collections, as the embedded server answers it. */
    private long total() {
        return database.runCommand(new Document("ccmScans", 1)).get("filtered", Document.class).values().stream()
                       .mapToLong(count -> ((Number) count).longValue()).sum();
    }
}
