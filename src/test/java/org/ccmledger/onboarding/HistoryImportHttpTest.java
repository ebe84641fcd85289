package org.ccmledger.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.ccmledger.platform.security.Role;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * The onboarding import as a practice moving from another CCM product uses it: NDJSON history in, a report per line
 * out, each line judged by the rules the API applies, written once whatever happens to the import.
 */
class HistoryImportHttpTest extends HttpTestBase {

    private static final String PRACTICE = "p-import";
    private static final String IMPORT = "/api/v1/practices/" + PRACTICE + "/import";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = "r" + System.nanoTime();

    @org.springframework.beans.factory.annotation.Autowired
    private com.mongodb.client.MongoDatabase database;

    @Test
    void aPatientsHistoryIsImportedLineByLineWithItsOriginalRecordedAtKeptApart() throws Exception {
        String patient = run + "-a";
        String history = history(patient, "a");

        List<Map<String, Object>> report = importAs("admin-1", history);

        assertThat(report).hasSize(9);
        assertThat(outcomes(report)).containsOnly("ACCEPTED");
        assertThat(report.get(report.size() - 1)).containsEntry("summary", Map.of(
                "importId", ((Map<?, ?>) report.get(report.size() - 1).get("summary")).get("importId"),
                "lines", 8, "accepted", 8, "duplicate", 0, "refused", 0));
        // the patient's month counts the imported minutes (20 + 25, corrected to 30, and 10 voided)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                client().get().uri("/api/v1/practices/" + PRACTICE + "/patients/" + patient + "/minutes/2025-03")
                        .exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.minutes").isEqualTo(50));
        // each event carries the import line, the import and when the old product recorded it, as hashed metadata
        List<Document> events = ledger.events().find(Filters.eq("aggregateIdentifier", PRACTICE + "/" + patient))
                                      .into(new ArrayList<>());
        assertThat(events).hasSize(7);
        Map<String, Object> minutes = metaData(events, "CareMinutesLogged").get(0);
        assertThat(minutes.get("originallyRecordedAt")).isEqualTo("2025-03-04T16:00:00Z");
        assertThat(minutes.get("importLine")).isEqualTo("a-4");
        assertThat(minutes.get("actor")).isEqualTo("admin-1");
        assertThat(events).allSatisfy(event -> assertThat(event.getString("metaData")).contains("\"importId\""));
        // the auditor's event log names the import line and the original recorded-at apart from the ledger's own
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                client().get().uri("/api/v1/practices/" + PRACTICE + "/audit/events?patient=" + patient
                                   + "&type=CareMinutesLogged")
                        .exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.events.length()").isEqualTo(3)
                        .jsonPath("$.events[0].imported.line").isEqualTo("a-4")
                        .jsonPath("$.events[0].imported.originallyRecordedAt").isEqualTo("2025-03-04T16:00:00Z"));
        // the audit packet dates the entry's documentation from the old product, not from the import
        client().get().uri("/api/v1/practices/" + PRACTICE + "/patients/" + patient + "/audit-packet/2025-03")
                .accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.timeEntries[0].originallyRecordedAt").isEqualTo("2025-03-04T11:00:00-05:00")
                .jsonPath("$.timeEntries[0].late").isEqualTo(false)
                .jsonPath("$.timeEntries[0].recordedDaysAfter").isEqualTo(0);
        // and the patient's streams verify like any others: hashed and chained
        client().get().uri("/api/v1/practices/" + PRACTICE + "/patients/" + patient + "/verification")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.intact").isEqualTo(true)
                .jsonPath("$.streams[0].eventsChecked").isEqualTo(7)
                .jsonPath("$.streams[1].eventsChecked").isEqualTo(1);
    }

    @Test
    void importingTheSameLinesAgainAnswersDuplicatesAndWritesNothing() throws Exception {
        String patient = run + "-b";
        String history = history(patient, "b");
        importAs("admin-1", history);
        long before = streamEvents(patient);

        List<Map<String, Object>> again = importAs("admin-1", history);

        assertThat(outcomes(again)).containsOnly("DUPLICATE");
        assertThat(streamEvents(patient)).isEqualTo(before);
    }

    @Test
    void aLineIdUsedAgainForOtherContentIsRefused() throws Exception {
        String patient = run + "-c";
        importAs("admin-1", history(patient, "c"));

        List<Map<String, Object>> report = importAs("admin-1", PatientMother.importLine(
                "c-1", "death", patient, "2025-06-01T10:00:00Z", "{\"dateOfDeath\":\"2025-05-30\"}"));

        assertThat(problem(report.get(0))).containsEntry("status", 409).containsEntry("code", "LINE_ID_REUSED");
    }

    @Test
    void refusedLinesCarryTheProblemAndRuleAndWriteNothing() throws Exception {
        String patient = run + "-d";
        String lines = PatientMother.importLine("d-1", "enrollment", patient, "2025-01-02T10:00:00Z",
                                                PatientMother.enrollment(null))
                // R8: care time before any consent is refused, as over the API
                + PatientMother.importLine("d-2", "care-minutes", patient, "2025-01-03T10:00:00Z",
                                           PatientMother.careMinutes("d-e1", "CLINICAL_STAFF",
                                                                     "2025-01-03T09:00:00Z", 20))
                + "{not json\n"
                + "{\"line\":\"d-3\",\"kind\":\"lunch\",\"patientId\":\"" + patient
                + "\",\"recordedAt\":\"2025-01-03T10:00:00Z\",\"body\":{}}\n"
                + PatientMother.importLine("d-4", "consent", patient, "2025-01-03T10:00:00Z",
                                           "{\"method\":\"VERBAL\",\"mood\":\"fine\"}")
                + PatientMother.importLine("d-5", "care-plan", run + "-nobody", "2025-01-03T10:00:00Z",
                                           carePlan("2025-01-03T09:00:00Z"))
                + PatientMother.importLine("d-6", "consent", patient, "2999-01-03T10:00:00Z",
                                           PatientMother.consent());

        List<Map<String, Object>> report = importAs("admin-1", lines);

        assertThat(outcomes(report)).containsExactly("ACCEPTED", "REFUSED", "REFUSED", "REFUSED", "REFUSED",
                                                      "REFUSED", "REFUSED");
        assertThat(problem(report.get(1))).containsEntry("status", 422).containsEntry("rule", "R8")
                                          .containsEntry("code", "CONSENT_NOT_IN_FORCE");
        assertThat(problem(report.get(2))).containsEntry("status", 400).containsEntry("code", "MALFORMED_LINE");
        assertThat(report.get(2)).containsEntry("lineNumber", 3);
        assertThat(problem(report.get(3))).containsEntry("code", "UNKNOWN_KIND");
        assertThat(problem(report.get(4))).containsEntry("code", "MALFORMED_BODY");
        assertThat((String) problem(report.get(4)).get("detail")).doesNotContain("fine");
        assertThat(problem(report.get(5))).containsEntry("status", 404).containsEntry("code", "UNKNOWN_PATIENT");
        assertThat(problem(report.get(6))).containsEntry("status", 400);
        assertThat(streamEvents(patient)).isEqualTo(1);
        assertThat(ledger.events().countDocuments(Filters.eq("aggregateIdentifier",
                                                             PRACTICE + "/" + run + "-nobody/care-plan"))).isZero();

        // a refused line's id is free: the corrected history goes in under the same ids
        List<Map<String, Object>> fixed = importAs("admin-1",
                PatientMother.importLine("d-4", "consent", patient, "2025-01-03T10:00:00Z", PatientMother.consent())
                + PatientMother.importLine("d-2", "care-minutes", patient, "2025-01-03T10:00:00Z",
                                           PatientMother.careMinutes("d-e1", "CLINICAL_STAFF",
                                                                     "2026-01-03T09:00:00Z", 20)));
        assertThat(outcomes(fixed)).containsExactly("ACCEPTED", "ACCEPTED");
    }

    @Test
    void onlyOneImportOfAPracticeRunsAtATime() throws Exception {
        String practice = "p-import-lease-" + run;
        mongo("import_leases").insertOne(new Document("_id", practice).append("importId", "elsewhere")
                                                                     .append("until", new Date(
                                                                             System.currentTimeMillis() + 60_000)));

        clientAs("admin-1", Set.of(Role.ADMIN)).post().uri("/api/v1/practices/" + practice + "/import")
                .contentType(MediaType.APPLICATION_NDJSON)
                .bodyValue(PatientMother.importLine("l-1", "enrollment", "x", "2025-01-02T10:00:00Z",
                                                    PatientMother.enrollment(null)))
                .exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("IMPORT_RUNNING");
        assertThat(eventsOfPractice(practice, "x")).isZero();
    }

    @Test
    void aLineLeftUnfinishedByAnImportThatDiedIsSettledFromTheLedger() throws Exception {
        String patient = run + "-e";
        String history = history(patient, "e");
        importAs("admin-1", history);
        long before = streamEvents(patient);
        // as if the import died after its commands were committed and before it noted them done
        mongo("import_lines").updateMany(Filters.in("_id", List.of(PRACTICE + "/e-1", PRACTICE + "/e-4")),
                                         Updates.combine(Updates.set("state", "CLAIMED"),
                                                         Updates.set("importId", "died")));
        // and a line it claimed but never sent
        String unsent = PatientMother.importLine("e-9", "care-minutes", patient, "2025-03-20T16:00:00Z",
                                                 PatientMother.careMinutes("e-e9", "CLINICAL_STAFF",
                                                                           "2025-03-20T15:00:00Z", 5));
        mongo("import_lines").insertOne(new Document("_id", PRACTICE + "/e-9")
                                                .append("lineHash", ImportLineReader.sha256(unsent))
                                                .append("importId", "died").append("state", "CLAIMED"));

        List<Map<String, Object>> again = importAs("admin-1", history + unsent);

        assertThat(outcomes(again)).as(again.toString()).containsExactly("DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE",
                                                     "DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE", "ACCEPTED");
        assertThat(streamEvents(patient)).isEqualTo(before + 1);
    }

    @Test
    void onlyAnAdminImports() {
        clientAs("nurse-1", Set.of(Role.CARE_STAFF)).post().uri(IMPORT).contentType(MediaType.APPLICATION_NDJSON)
                .bodyValue(PatientMother.importLine("z-1", "enrollment", run + "-z", "2025-01-02T10:00:00Z",
                                                    PatientMother.enrollment(null)))
                .exchange().expectStatus().isForbidden();
        assertThat(streamEvents(run + "-z")).isZero();
    }

    // ------------------------------------------------------------------------------------------------ support

    /**
     * A year-old history of one patient as another product kept it: enrolment, consent, care plan, visit, two care
     * entries (one corrected from 25 to 30 minutes) and a third voided. Eight lines: seven events on the enrollment
     * stream, one on the care plan's.
     */
    private static String history(String patient, String prefix) {
        return PatientMother.importLine(prefix + "-1", "enrollment", patient, "2025-02-26T15:00:00Z",
                                        PatientMother.enrollment(null))
                + PatientMother.importLine(prefix + "-2", "consent", patient, "2025-02-27T15:00:00Z",
                                           PatientMother.consent().replace("2026-01-01", "2025-02-27"))
                + PatientMother.importLine(prefix + "-3", "care-plan", patient, "2025-02-28T15:00:00Z",
                                           carePlan("2025-02-28T14:00:00Z"))
                + PatientMother.importLine(prefix + "-4", "care-minutes", patient, "2025-03-04T16:00:00Z",
                                           PatientMother.careMinutes(prefix + "-m1", "CLINICAL_STAFF",
                                                                     "2025-03-04T15:00:00Z", 20))
                + PatientMother.importLine(prefix + "-5", "care-minutes", patient, "2025-03-11T16:00:00Z",
                                           PatientMother.careMinutes(prefix + "-m2", "CLINICAL_STAFF",
                                                                     "2025-03-11T15:00:00Z", 25))
                + PatientMother.importLine(prefix + "-6", "care-minutes-correction", patient,
                                           "2025-03-12T16:00:00Z", "{\"entryId\":\"" + prefix + "-m2\",\"minutes\":30,"
                                                   + "\"reason\":\"call ran longer\",\"correctedBy\":\"nurse-1\"}")
                + PatientMother.importLine(prefix + "-7", "care-minutes", patient, "2025-03-13T16:00:00Z",
                                           PatientMother.careMinutes(prefix + "-m3", "CLINICAL_STAFF",
                                                                     "2025-03-13T15:00:00Z", 10))
                + PatientMother.importLine(prefix + "-8", "care-minutes-void", patient, "2025-03-14T16:00:00Z",
                                           "{\"entryId\":\"" + prefix + "-m3\",\"reason\":\"wrong patient\","
                                                   + "\"voidedBy\":\"nurse-1\"}");
    }

    private static String carePlan(String revisedAt) {
        return PatientMother.carePlan(revisedAt, revisedAt.replace("T14", "T15"))
                            .replace("{\"revisedAt\"", "{\"revisedBy\":\"dr-lee\",\"revisedAt\"");
    }

    private List<Map<String, Object>> importAs(String user, String ndjson) throws Exception {
        WebTestClient admin = clientAs(user, Set.of(Role.ADMIN));
        byte[] body = admin.post().uri(IMPORT).contentType(MediaType.APPLICATION_NDJSON)
                           .accept(MediaType.APPLICATION_NDJSON).bodyValue(ndjson)
                           .exchange().expectStatus().isOk()
                           .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                           .expectBody().returnResult().getResponseBody();
        List<Map<String, Object>> report = new ArrayList<>();
        for (String line : new String(body, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                report.add(JSON.readValue(line, Map.class));
            }
        }
        // the lines of one patient come back in file order; across patients, as each is decided
        List<Map<String, Object>> lines = new ArrayList<>(report.subList(0, report.size() - 1));
        lines.sort(java.util.Comparator.comparing(line -> ((Number) line.get("lineNumber")).longValue()));
        lines.add(report.get(report.size() - 1));
        return lines;
    }

    private static List<Object> outcomes(List<Map<String, Object>> report) {
        return report.stream().filter(line -> line.containsKey("status")).map(line -> line.get("status")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> problem(Map<String, Object> line) {
        assertThat(line).containsEntry("status", "REFUSED");
        return (Map<String, Object>) line.get("problem");
    }

    private List<Map<String, Object>> metaData(List<Document> events, String type) {
        return events.stream().filter(event -> event.getString("payloadType").endsWith("." + type))
                     .map(event -> {
                         try {
                             return JSON.<Map<String, Object>>readValue(event.getString("metaData"),
                                     new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
                         } catch (Exception e) {
                             throw new IllegalStateException(e);
                         }
                     }).toList();
    }

    private long streamEvents(String patient) {
        return eventsOfPractice(PRACTICE, patient);
    }

    private long eventsOfPractice(String practice, String patient) {
        return ledger.events().countDocuments(Filters.eq("aggregateIdentifier", practice + "/" + patient));
    }

    private com.mongodb.client.MongoCollection<Document> mongo(String collection) {
        return database.getCollection(collection);
    }
}
