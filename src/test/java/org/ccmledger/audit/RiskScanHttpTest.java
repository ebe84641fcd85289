package org.ccmledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;

/**
 * The OIG risk scan over HTTP: the same beneficiary billed by two practices (matched by the keyed hash of the MBI,
 * neither practice named to the other), one nurse's overlapping minutes for two patients, reproducible as the ledger
 * knew it at an instant, as JSON and as CSV read back with Python's csv module.
 */
class RiskScanHttpTest extends HttpTestBase {

    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };
    private static final String LETTERS = "ACDEFGHJKMNPQRTUVWXY";
    private static final java.util.Random RANDOM = new java.util.Random();

    /**
     * An MBI no other test uses: the duplicate check spans every practice in the ledger, and the other tests' patients
     * share PatientMother's.
     */
    private static String uniqueMbi() {
        StringBuilder mbi = new StringBuilder().append(1 + RANDOM.nextInt(9));
        for (char kind : "LADLADLLDD".toCharArray()) {
            boolean letter = kind == 'L' || kind == 'A' && RANDOM.nextBoolean();
            mbi.append(letter ? LETTERS.charAt(RANDOM.nextInt(LETTERS.length())) : (char) ('0' + RANDOM.nextInt(10)));
        }
        return mbi.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> findings(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("findings");
    }

    private Map<String, Object> scan(String practice, String query) {
        return client().get().uri("/api/v1/practices/" + practice + "/audit/risks/2026-09" + query)
                       .accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isOk().expectBody(MAP)
                       .returnResult().getResponseBody();
    }

    /** A closed September for a patient whose identity carries {@code mbi}, with one entry at {@code startedAt}. */
    private void billed(String practice, String patientId, String mbi, String startedAt, int minutes) {
        String patients = "/api/v1/practices/" + practice + "/patients";
        String patient = patients + "/" + patientId;
        String identity = PatientMother.IDENTITY.replace("1EG4-TE5-MK73", mbi);
        post(patients, PatientMother.enrollment(patientId).replace("\"chronicConditions\"",
                "\"identity\":" + identity + ",\"chronicConditions\"")).expectStatus().isCreated();
        post(patient + "/consents", PatientMother.consent()).expectStatus().isCreated();
        String plan = PatientMother.carePlan("2026-01-02T15:00:00Z", "2026-01-02T16:00:00Z");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> post(patient + "/care-plan/revisions", plan).expectStatus().isCreated());
        post(patient + "/initiating-visits", "{\"visitDate\":\"2026-09-02\",\"visitType\":\"EM\",\"emLevel\":4,"
             + "\"practitionerNpi\":\"" + PatientMother.NPI + "\",\"comprehensiveCarePlanning\":false}")
                .expectStatus().isCreated();
        post(patient + "/care-minutes", PatientMother.careMinutes(patientId + "-e1", "CLINICAL_STAFF", startedAt,
                                                                  minutes)).expectStatus().isCreated();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(
                () -> client().get().uri(patient + "/billing/2026-09").exchange().expectStatus().isOk()
                              .expectBody().jsonPath("$.family").isEqualTo("NON_COMPLEX"));
    }

    private Map<String, Object> close(String practice) {
        return client().post().uri("/api/v1/practices/" + practice + "/billing/2026-09/close").exchange()
                       .expectStatus().isOk().expectBody(MAP).returnResult().getResponseBody();
    }

    private Instant recordedAt(String aggregate, long sequence) {
        Object at = ledger.events().find(Filters.eq("streamKey", StoredEvent.streamKey(aggregate, sequence)))
                          .first().get("recordedAt");
        return at instanceof Date date ? date.toInstant() : Instant.parse(at.toString());
    }

    @Test
    @DisplayName("R6, P2: one beneficiary billed by two practices, one nurse in two places at once; as known before, neither")
    void duplicatesAndOverlaps() throws Exception {
        String a = "ra-" + System.nanoTime();
        String b = "rb-" + System.nanoTime();
        String shared = uniqueMbi();
        billed(a, "pt-1", shared, "2026-09-10T14:00:00Z", 30);
        billed(a, "pt-c", uniqueMbi(), "2026-09-12T14:00:00Z", 30);
        close(a);
        String statement = a + "/pt-1/billing/2026-09";
        Instant beforeB = recordedAt(statement, streamHead(statement));
        billed(b, "pt-9", shared.substring(0, 4) + "-" + shared.substring(4, 7) + "-" + shared.substring(7),
               "2026-09-20T14:00:00Z", 30);
        // the close refuses nothing for a risk, and lists the risks it now has
        Map<String, Object> closedB = close(b);
        assertThat(findings(Map.of("findings", closedB.get("risks"))))
                .anySatisfy(r -> assertThat(r).containsEntry("patientId", "pt-9")
                                              .containsEntry("risk", "DUPLICATE_BENEFICIARY_MONTH"));
        assertThat(streamHead(b + "/pt-9/billing/2026-09")).isZero();
        // closing again issues nothing, so it answers no risks (and scans nothing); the month's scan still has them
        Map<String, Object> again = close(b);
        assertThat((List<?>) again.get("risks")).isEmpty();
        assertThat(findings(scan(b, ""))).extracting(f -> f.get("risk")).contains("DUPLICATE_BENEFICIARY_MONTH");
        // the same nurse, ten minutes into pt-1's call, logs 25 minutes for pt-2 (whose month stays open: the scan
        // looks at every patient of the month)
        billed(a, "pt-2", uniqueMbi(), "2026-09-10T14:10:00Z", 25);
        Instant beforeOverlap = recordedAt(a + "/pt-2", streamHead(a + "/pt-2")).minusMillis(1);

        Map<String, Object> report = scan(a, "");
        assertThat(findings(report)).filteredOn(f -> f.get("risk").equals("DUPLICATE_BENEFICIARY_MONTH"))
                .singleElement().satisfies(f -> assertThat(f).containsEntry("patientId", "pt-1")
                        .containsEntry("rule", "R6")
                        .satisfies(x -> assertThat((String) x.get("detail")).contains("another practice in this ledger")
                                                                             .doesNotContain(b, "pt-9")));
        assertThat(findings(report)).filteredOn(f -> f.get("risk").equals("OVERLAPPING_CLINICIAN_TIME"))
                .extracting(f -> f.get("patientId")).containsExactlyInAnyOrder("pt-1", "pt-2");
        assertThat(findings(report)).filteredOn(f -> f.get("patientId").equals("pt-c"))
                .extracting(f -> f.get("risk")).doesNotContain("DUPLICATE_BENEFICIARY_MONTH",
                                                               "OVERLAPPING_CLINICIAN_TIME");
        assertThat(findings(scan(b, ""))).filteredOn(f -> f.get("risk").equals("DUPLICATE_BENEFICIARY_MONTH"))
                .singleElement().satisfies(f -> assertThat((String) f.get("detail")).doesNotContain(a, "pt-1"));

        // reproducible as the ledger knew it: before practice B billed, and before the overlapping entry
        assertThat(findings(scan(a, "?asKnownAt=" + beforeB))).extracting(f -> f.get("risk"))
                .doesNotContain("DUPLICATE_BENEFICIARY_MONTH", "OVERLAPPING_CLINICIAN_TIME");
        Map<String, Object> then = scan(a, "?asKnownAt=" + beforeOverlap);
        assertThat(findings(then)).extracting(f -> f.get("risk")).contains("DUPLICATE_BENEFICIARY_MONTH")
                                  .doesNotContain("OVERLAPPING_CLINICIAN_TIME");
        assertThat(then.get("asKnownAt")).isEqualTo(beforeOverlap.toString());

        // the packet carries the patient's own risks
        client().get().uri("/api/v1/practices/" + a + "/patients/pt-1/audit-packet/2026-09")
                .accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.risks[?(@.risk == 'DUPLICATE_BENEFICIARY_MONTH')].rule").isEqualTo(List.of("R6"));

        // CSV, read by Python's csv module
        String csv = client().get().uri("/api/v1/practices/" + a + "/audit/risks/2026-09")
                             .accept(MediaType.parseMediaType("text/csv")).exchange().expectStatus().isOk()
                             .expectBody(String.class).returnResult().getResponseBody();
        List<Map<String, String>> rows = pythonCsv(csv);
        assertThat(rows).hasSize(findings(report).size());
        assertThat(rows).anySatisfy(row -> assertThat(row).containsEntry("patientId", "pt-1")
                .containsEntry("risk", "DUPLICATE_BENEFICIARY_MONTH").containsEntry("rule", "R6"));
        assertThat(rows).allSatisfy(row -> assertThat(row.get("evidence")).isNotBlank());

        // a compliance officer's decision on the finding, shown with it; a decision that names nothing is refused
        String reviews = "/api/v1/practices/" + a + "/audit/risks/2026-09/reviews";
        String stream = "practice:" + a + ":risk-reviews:2026-09";
        post(reviews, "{\"patientId\":\"pt-1\",\"risk\":\"DUPLICATE_BENEFICIARY_MONTH\",\"decision\":\"CORRECTED\","
                      + "\"note\":\"second practice billed\"}").expectStatus().isBadRequest();
        post(reviews, "{\"patientId\":\"pt-1\",\"risk\":\"NO_SUCH_RISK\",\"decision\":\"ACCEPTED\","
                      + "\"note\":\"x\"}").expectStatus().isBadRequest();
        post(reviews, "{\"patientId\":\"nobody\",\"risk\":\"LATE_ENTRY\",\"decision\":\"ACCEPTED\","
                      + "\"note\":\"x\"}").expectStatus().isNotFound();
        assertThat(streamHead(stream)).isEqualTo(-1);
        post(reviews, "{\"patientId\":\"pt-1\",\"risk\":\"DUPLICATE_BENEFICIARY_MONTH\",\"decision\":\"REFUND_ISSUED\","
                      + "\"reference\":\"MAC-REF-2026-0042\",\"note\":\"the other practice billed first\"}")
                .expectStatus().isCreated();
        assertThat(findings(scan(a, ""))).filteredOn(f -> f.get("risk").equals("DUPLICATE_BENEFICIARY_MONTH"))
                .singleElement().satisfies(f -> assertThat(findings(Map.of("findings", f.get("reviews"))))
                        .singleElement().satisfies(r -> assertThat(r).containsEntry("decision", "REFUND_ISSUED")
                                .containsEntry("reference", "MAC-REF-2026-0042")
                                .containsEntry("reviewedBy", DEFAULT_USER)));
        client().get().uri("/api/v1/practices/" + a + "/patients/pt-1/audit-packet/2026-09")
                .accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.risks[?(@.risk == 'DUPLICATE_BENEFICIARY_MONTH')].reviews[0].decision")
                .isEqualTo(List.of("REFUND_ISSUED"));
        client().get().uri("/api/v1/practices/" + a + "/billing/2026-09?risks=true").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.risks[?(@.risk == 'DUPLICATE_BENEFICIARY_MONTH')].reviews")
                .isEqualTo(List.of(1));
        client().get().uri("/api/v1/practices/" + a + "/billing/2026-09").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.risks").doesNotExist();

        // crypto-shredding the other practice's identity takes it out of the index: no match is left
        post("/api/v1/practices/" + b + "/patients/pt-9/identity/erasure",
             "{\"basis\":\"LEGAL_ORDER\",\"reason\":\"court order 7\"}").expectStatus().isOk();
        assertThat(findings(scan(a, ""))).extracting(f -> f.get("risk")).doesNotContain("DUPLICATE_BENEFICIARY_MONTH");

        client().get().uri("/api/v1/practices/" + a + "/audit/risks/2026-13").accept(MediaType.APPLICATION_JSON)
                .exchange().expectStatus().isBadRequest();
        client().get().uri("/api/v1/practices/" + a + "/audit/risks/2026-09?asKnownAt=yesterday")
                .accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isBadRequest();
    }

    private static List<Map<String, String>> pythonCsv(String csv) throws Exception {
        Process python = new ProcessBuilder("python3", "-c",
                                            "import csv, json, sys; print(json.dumps(list(csv.DictReader("
                                            + "sys.stdin))))").start();
        python.getOutputStream().write(csv.getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        String json = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).isZero();
        return new ObjectMapper().readValue(json, new TypeReference<>() {
        });
    }
}
