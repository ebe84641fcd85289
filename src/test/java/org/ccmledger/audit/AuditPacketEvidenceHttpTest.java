package org.ccmledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/**
 * The packet shows what a reviewer checks (ccm-rules.md section 5): who the beneficiary is, every person by name and
 * credential, the nine elements of every care-plan version, when each entry was performed and when recorded, and the
 * integrity proof; the PDF has a summary page first, "Page n of m" and the patient on every page, renders with
 * poppler and reads back whole with PDFBox.
 */
class AuditPacketEvidenceHttpTest extends HttpTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };
    private static final String PLAN = """
            {"revisedAt":"2026-01-02T15:00:00Z","substantialRevision":false,
             "sharedWithPatientAt":"2026-01-02T16:00:00Z","problems":["Type 2 diabetes","Hypertension"],
             "expectedOutcome":"glucose and blood pressure at target","measurableGoals":["HbA1c below 8%"],
             "symptomManagement":"hypoglycaemia action plan","plannedInterventions":["monthly nurse calls"],
             "medicationManagement":"metformin reconciliation","communityResources":["diabetes education class"],
             "coordination":["endocrinology referral"],"reviewSchedule":"every three months"}""";
    private static final List<String> PLAN_ELEMENTS = List.of(
            "Type 2 diabetes", "glucose and blood pressure at target", "HbA1c below 8%", "hypoglycaemia action plan",
            "monthly nurse calls", "metformin reconciliation", "diabetes education class", "endocrinology referral",
            "every three months");

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return (List<String>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private Map<String, Object> packet(String patient) {
        return client().get().uri(patient + "/audit-packet/2026-09").accept(MediaType.APPLICATION_JSON).exchange()
                       .expectStatus().isOk().expectBody(MAP).returnResult().getResponseBody();
    }

    private String staff(String practice, String user, String body) {
        return client().put().uri("/api/v1/practices/" + practice + "/staff/" + user)
                       .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
                       .expectBody(String.class).returnResult().getResponseBody();
    }

    /** A closed September with a staff directory, the patient's identity, a full care plan and two entries. */
    private String closedSeptember(String practice) {
        String patients = "/api/v1/practices/" + practice + "/patients";
        String patient = patients + "/pt-e";
        staff(practice, "nurse-1", "{\"name\":\"Nora Diaz\",\"credential\":\"RN\"}");
        staff(practice, "rn-7", "{\"name\":\"Omar Reyes\",\"credential\":\"LPN\"}");
        staff(practice, "dr-cho", "{\"name\":\"Sam Cho\",\"credential\":\"MD\",\"npi\":\"" + PatientMother.NPI
                                   + "\"}");
        post(patients, PatientMother.enrollment("pt-e").replace("\"chronicConditions\"",
                "\"identity\":" + PatientMother.IDENTITY + ",\"chronicConditions\"")).expectStatus().isCreated();
        post(patient + "/consents", PatientMother.consent()).expectStatus().isCreated();
        await().atMost(DEADLINE).untilAsserted(() -> post(patient + "/care-plan/revisions", PLAN)
                .expectStatus().isCreated());
        post(patient + "/initiating-visits", "{\"visitDate\":\"2026-09-02\",\"visitType\":\"EM\",\"emLevel\":4,"
             + "\"practitionerNpi\":\"" + PatientMother.NPI + "\",\"comprehensiveCarePlanning\":false}")
                .expectStatus().isCreated();
        post(patient + "/care-minutes", PatientMother.careMinutes("e1", "CLINICAL_STAFF", "2026-09-10T14:00:00Z", 30)
                .replace("called about refills", "reviewed the glucose log with the patient"))
                .expectStatus().isCreated();
        post(patient + "/care-minutes", PatientMother.careMinutes("e2", "CLINICAL_STAFF", "2026-09-11T14:00:00Z", 5))
                .expectStatus().isCreated();
        post(patient + "/care-minutes/e2/correction", "{\"minutes\":4,\"reason\":\"call ended early\"}")
                .expectStatus().is2xxSuccessful();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(
                client().get().uri(patient + "/billing/2026-09").exchange().expectStatus().isOk()
                        .expectBody(MAP).returnResult().getResponseBody().get("family")).isEqualTo("NON_COMPLEX"));
        client().post().uri("/api/v1/practices/" + practice + "/billing/2026-09/close").exchange()
                .expectStatus().isOk();
        return patient;
    }

    @Test
    @DisplayName("R8, R10, R3, P4: the JSON packet names the beneficiary, the people, every plan element, when each entry was performed and recorded, and the proof")
    void theJsonShowsWhatAReviewerChecks() {
        String practice = "pe-" + System.nanoTime();
        String patient = closedSeptember(practice);
        client().post().uri("/api/v1/ledger/digests").exchange().expectStatus().isCreated();

        Map<String, Object> packet = packet(patient);
        assertThat(map(packet.get("beneficiary"))).containsEntry("status", "RECORDED")
                .containsEntry("name", "Ana Rivera").containsEntry("birthDate", "1948-03-14")
                .containsEntry("mbi", "1EG4TE5MK73");
        Map<String, Object> people = map(packet.get("people"));
        assertThat(map(people.get("nurse-1"))).containsEntry("name", "Nora Diaz").containsEntry("credential", "RN")
                                              .containsEntry("inDirectory", true);
        assertThat(map(people.get("rn-7"))).containsEntry("name", "Omar Reyes");
        assertThat(map(people.get(PatientMother.NPI))).containsEntry("name", "Sam Cho")
                                                      .containsEntry("credential", "MD");
        // R8: consent on 2026-01-01, the month's first counted minute on 2026-09-10
        assertThat(list(packet.get("consents"))).singleElement().satisfies(c -> assertThat(c)
                .containsEntry("obtainedBeforeFirstCountedMinute", true)
                .containsEntry("relativeToFirstCountedMinute", "251 days before")
                .containsEntry("obtainedAt", "2026-01-01T10:00:00-05:00"));
        // R10: all nine elements of the version, and when it was shared
        Map<String, Object> version = list(packet.get("carePlanHistory")).get(0);
        assertThat(version).containsEntry("symptomManagement", "hypoglycaemia action plan")
                .containsEntry("reviewSchedule", "every three months")
                .containsEntry("sharedWithPatientAt", "2026-01-02T11:00:00-05:00");
        assertThat(strings(version.get("communityResources"))).containsExactly("diabetes education class");
        assertThat(strings(version.get("coordination"))).containsExactly("endocrinology referral");
        // performed in September, recorded today: late by the default threshold of 7 days
        assertThat(packet.get("lateEntryDays")).isEqualTo(7);
        Map<String, Object> e1 = list(packet.get("timeEntries")).get(0);
        assertThat(e1).containsEntry("entryId", "e1").containsEntry("performedAt", "2026-09-10T10:00:00-04:00")
                      .containsEntry("note", "reviewed the glucose log with the patient")
                      .containsEntry("recordedBy", "nurse-1").containsEntry("late", true);
        assertThat(((Number) e1.get("recordedDaysAfter")).longValue()).isGreaterThan(7);
        assertThat((String) e1.get("recordedAt")).matches("20\\d\\d-\\d\\d-\\d\\dT.*[-+]0[45]:00");
        assertThat(list(list(packet.get("timeEntries")).get(1).get("changes"))).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("kind", "CORRECTED")
                        .containsEntry("reason", "call ended early").containsEntry("minutes", 4)
                        .containsEntry("previousMinutes", 5));
        Map<String, Object> summary = map(packet.get("summary"));
        assertThat(summary).containsEntry("status", "CLOSED").containsEntry("family", "NON_COMPLEX");
        assertThat(strings(summary.get("codes"))).containsExactly("99490 x1");
        assertThat(strings(summary.get("flags"))).anyMatch(f -> f.startsWith("entry e1 recorded "));
        assertThat(list(packet.get("differences"))).isEmpty();
        // the proof: each stream's last hash, and the digest just taken seals the month
        Map<String, Object> integrity = map(packet.get("integrity"));
        assertThat(integrity.get("intact")).isEqualTo(true);
        assertThat(list(integrity.get("streams"))).filteredOn(s -> s.get("lastHash") != null).hasSize(3)
                .allSatisfy(s -> assertThat((String) s.get("lastHash")).matches("[0-9a-f]{64}"));
        long billedAt = list(integrity.get("streams")).stream().filter(s -> s.get("lastGlobalIndex") != null)
                                                     .mapToLong(s -> ((Number) s.get("lastGlobalIndex")).longValue())
                                                     .max().orElseThrow();
        Map<String, Object> sealedBy = map(integrity.get("sealedBy"));
        assertThat(((Number) sealedBy.get("sealedUpTo")).longValue()).isGreaterThanOrEqualTo(billedAt);
        assertThat((String) sealedBy.get("merkleRoot")).matches("[0-9a-f]{64}");
        assertThat(strings(integrity.get("howToCheck")))
                .anyMatch(h -> h.contains("/api/v1/ledger/digests/" + sealedBy.get("sequence") + "/verification"));
    }

    @Test
    @DisplayName("R3, P4: the late-entry threshold is the practice's: the same entries are not late at 365 days, and five more minutes show as a difference")
    void lateIsThePracticesSetting() {
        String practice = "pl-" + System.nanoTime();
        String patient = closedSeptember(practice);
        client().put().uri("/api/v1/practices/" + practice + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"placeOfService\":\"11\",\"lateEntryDays\":365}").exchange().expectStatus().isOk();
        client().put().uri("/api/v1/practices/" + practice + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"placeOfService\":\"11\",\"lateEntryDays\":0}").exchange().expectStatus()
                .isBadRequest();
        post(patient + "/care-minutes", PatientMother.careMinutes("e3", "CLINICAL_STAFF", "2026-09-12T14:00:00Z", 5))
                .expectStatus().isCreated();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(list(packet(patient).get("differences")))
                .anySatisfy(d -> assertThat(d).containsEntry("field", "minutes counted")
                                              .containsEntry("billed", "34").containsEntry("now", "39")));

        Map<String, Object> packet = packet(patient);
        assertThat(packet.get("lateEntryDays")).isEqualTo(365);
        assertThat(list(packet.get("timeEntries"))).extracting(t -> t.get("late")).containsOnly(false);
        assertThat(strings(map(packet.get("summary")).get("flags")))
                .noneMatch(f -> f.startsWith("entry ")).anyMatch(f -> f.contains("differs from what was billed"));
    }

    @Test
    @DisplayName("Section 5: the PDF has a summary page first, the patient and 'Page n of m' on every page, renders with pdftoppm, and holds every element unbroken")
    void thePdfAReviewerCanRead() throws Exception {
        String practice = "pp-" + System.nanoTime();
        String patient = closedSeptember(practice);
        byte[] pdf = client().get().uri(patient + "/audit-packet/2026-09").accept(MediaType.APPLICATION_PDF)
                             .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult()
                             .getResponseBody();
        Path dir = Files.createDirectories(Path.of("target", "audit-packet"));
        Path file = dir.resolve("packet.pdf");
        Files.write(file, pdf);

        List<String> pages = new ArrayList<>();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            int count = document.getNumberOfPages();
            assertThat(count).isGreaterThan(1);
            for (int i = 1; i <= count; i++) {
                PDFTextStripper stripper = new PDFTextStripper();
                stripper.setStartPage(i);
                stripper.setEndPage(i);
                pages.add(stripper.getText(document).replaceAll("\\s+", " "));
            }
            for (int i = 1; i <= count; i++) {
                assertThat(pages.get(i - 1)).as("page " + i)
                        .contains("CCM audit packet · practice " + practice + " · patient pt-e · 2026-09")
                        .contains("Page " + i + " of " + count);
            }
        }
        assertThat(pages.get(0)).as("the summary page").contains("Summary", "Ana Rivera", "1EG4TE5MK73",
                                                               "1948-03-14", "non complex: 99490 x1",
                                                               "Flags for the reviewer", "entry e1 recorded")
                                .doesNotContain("Time entries touching the month");
        String all = String.join(" ", pages);
        assertThat(all).contains("Nora Diaz, RN", "Omar Reyes, LPN", "Sam Cho, MD (NPI " + PatientMother.NPI + ")",
                                 "E11.9", "may stop at month end yes", "251 days before the month's first counted",
                                 "shared with the patient 2026-01-02 11:00 -05:00",
                                 "2026-09-10 10:00 -04:00", "LATE", "reviewed the glucose log with the patient",
                                 "call ended early", "99490 x1", "The month now", "Integrity proof", "last hash",
                                 "How to check");
        for (String label : List.of("Problems", "Expected outcome", "Measurable goals", "Symptom management",
                                    "Planned interventions", "Medication management", "Community resources",
                                    "Coordination with others", "Review schedule")) {
            assertThat(all).as("care-plan element " + label).contains(label);
        }
        PLAN_ELEMENTS.forEach(element -> assertThat(all).as("unbroken: " + element).contains(element));
        assertThat(all).contains("clinical staff").doesNotContain("CLINICAL_STA");

        List<Path> images = render(file, dir);
        assertThat(images).hasSize(pages.size());
        for (Path image : images) {
            BufferedImage png = ImageIO.read(image.toFile());
            assertThat(png.getWidth()).isGreaterThan(300);
            assertThat(inked(png)).as(image + " has text on it").isGreaterThan(0.005);
        }
    }

    @Test
    @DisplayName("A patient without an identity: the beneficiary's fields exist and say not recorded")
    void noIdentityRecorded() throws IOException {
        String practice = "pn-" + System.nanoTime();
        patientWithClosedSeptember(practice, "pt-n");
        String patient = "/api/v1/practices/" + practice + "/patients/pt-n";
        assertThat(map(packet(patient).get("beneficiary"))).containsEntry("status", "NOT_RECORDED")
                                                           .containsEntry("mbi", null);
        byte[] pdf = client().get().uri(patient + "/audit-packet/2026-09").accept(MediaType.APPLICATION_PDF)
                             .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult()
                             .getResponseBody();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(new PDFTextStripper().getText(document).replaceAll("\\s+", " "))
                    .contains("Name, birth date and MBI: not recorded.", "not in the staff directory");
        }
    }

    @Test
    @DisplayName("The staff directory: recorded as events, the same member twice writes once, a bad NPI writes nothing")
    void staffDirectory() {
        String practice = "ps-" + System.nanoTime();
        String stream = "practice:" + practice + ":staff";
        assertThat(staff(practice, "nurse-1", "{\"name\":\"Nora Diaz\",\"credential\":\"RN\"}"))
                .contains("\"recorded\":true");
        long head = streamHead(stream);
        assertThat(staff(practice, "nurse-1", "{\"name\":\"Nora Diaz\",\"credential\":\"RN\"}"))
                .contains("\"recorded\":false");
        assertThat(streamHead(stream)).isEqualTo(head);
        client().put().uri("/api/v1/practices/" + practice + "/staff/dr-x").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"X\",\"credential\":\"MD\",\"npi\":\"1234567890\"}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_NPI");
        client().put().uri("/api/v1/practices/" + practice + "/staff/dr-x").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"credential\":\"MD\"}").exchange().expectStatus().isBadRequest();
        assertThat(streamHead(stream)).isEqualTo(head);
        staff(practice, "nurse-1", "{\"name\":\"Nora Diaz-Lee\",\"credential\":\"RN, CCM\"}");
        client().get().uri("/api/v1/practices/" + practice + "/staff").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.staff.length()").isEqualTo(1)
                .jsonPath("$.staff[0].name").isEqualTo("Nora Diaz-Lee")
                .jsonPath("$.staff[0].credential").isEqualTo("RN, CCM");
    }

    /** The share of pixels darker than mid-grey. */
    private static double inked(BufferedImage image) {
        long dark = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int grey = ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
                if (grey < 128) {
                    dark++;
                }
            }
        }
        return (double) dark / ((long) image.getWidth() * image.getHeight());
    }

    /** Every page as a PNG, drawn by poppler's pdftoppm (Debian's poppler-utils, installed by .ci/run). */
    private static List<Path> render(Path pdf, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("pdftoppm", "-png", "-r", "60", pdf.toString(),
                                             dir.resolve("page").toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("pdftoppm finished").isTrue();
        assertThat(process.exitValue()).as("pdftoppm: " + output).isZero();
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("page-\\d+\\.png")).sorted().toList();
        }
    }
}
