package org.ccmledger.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import org.ccmledger.platform.cli.ImportCommand;
import org.ccmledger.platform.security.Role;
import org.ccmledger.support.CmsFiles;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Reference data loaded without a release (R7, R15): a year's CMS relative value file and an ICD-10-CM edition, over
 * HTTP and with the {@code import-fee-schedule} command; a bad file is refused naming line and column and writes
 * nothing; what is loaded is used from then on, and a statement names the version it was priced with.
 */
class ReferenceUploadHttpTest extends HttpTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    private WebTestClient.ResponseSpec upload(String path, byte[] file) {
        return client().post().uri(path).contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(file).exchange();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    @Test
    @DisplayName("R15: a year's CMS file imported over HTTP prices that year's months, and statements name its version")
    void aYearImportedOverHttpPricesItsMonths() throws IOException {
        // the fixture as a 2023 file: its CONV FACTOR column says 32.7442
        String file2023 = CmsFiles.relativeValueFile().replace(",33.4009,", ",32.7442,");
        Map<String, Object> imported = upload("/api/v1/reference/fee-schedules/2023/imports?cf=32.7442"
                                              + "&source=PPRRVU-test-file", gzip(file2023))
                .expectStatus().isCreated().expectBody(JSON).returnResult().getResponseBody();
        assertThat(imported).containsEntry("version", "pfs-2023.1").containsEntry("codes", 27)
                            .containsEntry("source", "PPRRVU-test-file");
        assertThat((String) imported.get("fileSha256")).hasSize(64);

        Map<String, Object> year = client().get().uri("/api/v1/reference/fee-schedules/2023").exchange()
                                           .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat((Map<String, Object>) year.get("feeData")).containsEntry("version", "pfs-2023.1");
        assertThat((List<?>) year.get("imports")).hasSize(1);

        // a patient billed in March 2023: 99490 = 1.98 x 32.7442 = 64.83
        String practice = "ref-" + System.nanoTime();
        String patients = "/api/v1/practices/" + practice + "/patients";
        post(patients, PatientMother.enrollment("pt-1").replace("\"qualifiedMedicareBeneficiary\":false",
                                                               "\"qualifiedMedicareBeneficiary\":false,"
                                                               + "\"initiatingVisitRequired\":false"))
                .expectStatus().isCreated();
        post(patients + "/pt-1/consents", PatientMother.consent().replace("2026-01-01", "2023-01-01"))
                .expectStatus().isCreated();
        await().atMost(DEADLINE).untilAsserted(() -> post(patients + "/pt-1/care-plan/revisions",
                PatientMother.carePlan("2023-01-02T15:00:00Z", "2023-01-02T16:00:00Z")).expectStatus().isCreated());
        post(patients + "/pt-1/care-minutes", PatientMother.careMinutes("e1", "CLINICAL_STAFF",
                                                                         "2023-03-10T14:00:00Z", 25))
                .expectStatus().isCreated();
        await().atMost(DEADLINE).untilAsserted(() -> client().get().uri(patients + "/pt-1/billing/2023-03")
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.ruleVersion").isEqualTo("pfs-2023.1")
                .jsonPath("$.totalAmount").isEqualTo("64.83")
                .jsonPath("$.lines[0].basis").isEqualTo("1.98 RVU × 32.7442 = 64.83 ([S] PPRRVU-test-file)"));
        client().post().uri("/api/v1/practices/" + practice + "/billing/2023-03/close").exchange()
                .expectStatus().isOk();
        client().get().uri(patients + "/pt-1/billing/2023-03/verification").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.match").isEqualTo(true);
    }

    @Test
    @DisplayName("R15: a file that is not what CMS publishes is refused, naming line and column, and writes nothing")
    void aBadFeeFileIsRefused() {
        long before = eventsInLedger();
        String broken = CmsFiles.relativeValueFile().replace(",0.00,1.98,,1.31,,0.00,1.98,1.31,",
                                                             ",0.00,1.98,,1.31,,0.00,1.89,1.31,");
        upload("/api/v1/reference/fee-schedules/2021/imports?cf=33.4009", broken.getBytes(StandardCharsets.UTF_8))
                .expectStatus().isEqualTo(422).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("FEE_FILE_INVALID").jsonPath("$.rule").isEqualTo("R15")
                .jsonPath("$.line").isEqualTo(8).jsonPath("$.field").isEqualTo("NON-FACILITY TOTAL");
        upload("/api/v1/reference/fee-schedules/2021/imports", "not a CMS file".getBytes(StandardCharsets.UTF_8))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.field").isEqualTo("HCPCS");
        upload("/api/v1/reference/fee-schedules/2021/imports", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3})
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("FEE_FILE_INVALID");
        upload("/api/v1/reference/fee-schedules/21/imports", new byte[] {1}).expectStatus().isBadRequest();
        client().post().uri("/api/v1/reference/fee-schedules/2021/imports").exchange().expectStatus().isBadRequest();
        assertThat(eventsInLedger()).isEqualTo(before);
        client().get().uri("/api/v1/reference/fee-schedules/2021").exchange().expectStatus().isNotFound();
    }

    @Test
    @DisplayName("R15: java -jar … import-fee-schedule FILE --year --cf --qp-cf loads a year into the running service")
    void theImportCommand(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("PPRRVU.csv"), CmsFiles.relativeValueFile(),
                                      StandardCharsets.ISO_8859_1);
        String token = tokens().mint("ops-1", Set.of(Role.PLATFORM_ADMIN));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = ImportCommand.run(ImportCommand.FEE_SCHEDULE,
                                       List.of(file.toString(), "--year=2022", "--cf=33.4009", "--qp-cf=33.5675",
                                               "--url=http://localhost:" + port, "--token=" + token),
                                       Map.of(), new PrintStream(out), new PrintStream(err));

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("201 ").contains("\"version\":\"pfs-2022.1\"");
        assertThat(ImportCommand.run(ImportCommand.FEE_SCHEDULE, List.of(file.toString(), "--cf=1"), Map.of(),
                                     new PrintStream(out), new PrintStream(err))).isEqualTo(2);
        assertThat(ImportCommand.run(ImportCommand.FEE_SCHEDULE,
                                     List.of(file.toString(), "--year=2022", "--url=http://localhost:" + port,
                                             "--token=" + tokens().mint("billing-1", Set.of(Role.BILLING), "p1")),
                                     Map.of(), new PrintStream(out), new PrintStream(err))).isEqualTo(1);
    }

    @Test
    @DisplayName("R7: an ICD-10-CM edition loads as a file; from its first day it decides, and a code it drops is DELETED")
    void anIcd10EditionLoads() throws IOException {
        String file = "A000    Cholera due to Vibrio cholerae 01, biovar cholerae\r\n"
                      + "E1165   Type 2 diabetes mellitus with hyperglycemia\r\nI10     Essential hypertension\r\n";
        Map<String, Object> loaded = upload("/api/v1/reference/icd10cm/editions?edition=FY2091&source=test",
                                            gzip(file))
                .expectStatus().isCreated().expectBody(JSON).returnResult().getResponseBody();
        assertThat(loaded).containsEntry("edition", "FY2091").containsEntry("effectiveFrom", "2090-10-01")
                          .containsEntry("effectiveTo", "2091-09-30").containsEntry("codeCount", 3);

        await().atMost(DEADLINE).untilAsserted(() -> client().get()
                .uri("/api/v1/reference/icd10cm/codes/E11.9?on=2091-01-15").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("DELETED").jsonPath("$.edition").isEqualTo("FY2091")
                .jsonPath("$.editionInForce").isEqualTo(true));
        client().get().uri("/api/v1/reference/icd10cm/codes/e1165?on=2091-01-15").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("BILLABLE").jsonPath("$.code").isEqualTo("E11.65");
        client().get().uri("/api/v1/reference/icd10cm/codes/E11.9?on=2026-05-01").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("BILLABLE").jsonPath("$.edition").isEqualTo("FY2026");
        client().get().uri("/api/v1/reference/icd10cm/editions").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.editions[?(@.edition == 'FY2026')].codeCount").isEqualTo(74719)
                .jsonPath("$.editions[?(@.edition == 'FY2091')].codeCount").isEqualTo(3);

        upload("/api/v1/reference/icd10cm/editions?edition=FY2091", gzip(file)).expectStatus().isEqualTo(409);
    }

    @Test
    @DisplayName("R7: a code file with a line that holds no code is refused naming the line, and writes nothing")
    void aBadCodeFileIsRefused() {
        long before = eventsInLedger();
        upload("/api/v1/reference/icd10cm/editions?edition=FY2092",
               "A000    Cholera\r\n??      not a code\r\n".getBytes(StandardCharsets.UTF_8))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("CODE_FILE_INVALID")
                .jsonPath("$.line").isEqualTo(2).jsonPath("$.rule").isEqualTo("R7");
        upload("/api/v1/reference/icd10cm/editions?edition=2092", "A000\r\n".getBytes(StandardCharsets.UTF_8))
                .expectStatus().isBadRequest();
        upload("/api/v1/reference/icd10cm/editions?edition=FY2026", "A000\r\n".getBytes(StandardCharsets.UTF_8))
                .expectStatus().isEqualTo(409);
        client().get().uri("/api/v1/reference/icd10cm/codes/" + "X".repeat(40)).exchange().expectStatus()
                .isBadRequest();
        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    @DisplayName("R7: enrollment accepts only codes billable by the edition in force: a header, an unknown code, 422")
    void enrollmentChecksTheCodeSet() {
        String practice = "icd-" + System.nanoTime();
        String patients = "/api/v1/practices/" + practice + "/patients";
        long before = eventsInLedger();
        post(patients, PatientMother.enrollment("pt-h").replace("\"I10\"", "\"N18.3\""))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("ICD10_NOT_BILLABLE")
                .jsonPath("$.rule").isEqualTo("R7")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("N18.3").contains("a more specific code is needed"));
        post(patients, PatientMother.enrollment("pt-u").replace("\"I10\"", "\"Z99.99\""))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.detail").value(detail -> assertThat(
                        (String) detail).contains("Z99.99 is not an ICD-10-CM code billable"));
        post(patients, PatientMother.enrollment("pt-c").replace("\"E11.9\"", "\"E11\""))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("ICD10_NOT_BILLABLE");
        assertThat(eventsInLedger()).isEqualTo(before);
        post(patients, PatientMother.enrollment("pt-ok").replace("\"I10\"", "\"N18.30\"")).expectStatus()
                .isCreated();
    }
}
