package org.ccmledger.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Verifying the ledger over HTTP: a stored event changed, deleted or moved directly in the database is reported at
 * exactly that event. Every tampering is undone at the end of its test.
 */
class LedgerVerificationHttpTest extends IntegrityHttpSupport {

    private static final ObjectMapper LINES = new ObjectMapper();

    @Test
    @DisplayName("An untouched ledger verifies: every event checked, no break")
    void anUntouchedLedgerVerifies() {
        patientWithEvents();

        Map<String, Object> report = ledgerVerification();

        assertThat(report).containsEntry("type", "report").containsEntry("intact", true)
                          .containsEntry("firstBreak", null);
        assertThat(number(report.get("eventsChecked"))).isGreaterThanOrEqualTo(4).isLessThanOrEqualTo(eventsInLedger());
        assertThat(number(report.get("highestIndex"))).isGreaterThanOrEqualTo(number(report.get("eventsChecked")));
        assertThat(report).containsKeys("tombstones", "pending", "sealedUpTo");
    }

    @Test
    @DisplayName("NDJSON streams a progress line per block of global indexes, then the report")
    void theStreamedVerificationReportsProgressThenTheReport() throws Exception {
        patientWithEvents();

        String body = client().get().uri("/api/v1/ledger/verification").accept(MediaType.APPLICATION_NDJSON)
                              .exchange()
                              .expectStatus().isOk()
                              .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                              .expectBody(String.class).returnResult().getResponseBody();
        List<Map<String, Object>> lines = Arrays.stream(body.split("\n")).map(this::parse).toList();

        Map<String, Object> report = lines.get(lines.size() - 1);
        List<Map<String, Object>> progress = lines.subList(0, lines.size() - 1);
        assertThat(report).containsEntry("type", "report").containsEntry("intact", true);
        assertThat(progress).isNotEmpty().allSatisfy(line -> assertThat(line.get("type")).isEqualTo("progress"));
        assertThat(progress).extracting(line -> number(line.get("checkedUpTo"))).isSorted();
        Map<String, Object> last = progress.get(progress.size() - 1);
        assertThat(number(last.get("checkedUpTo"))).isEqualTo(number(report.get("highestIndex")));
        assertThat(number(last.get("eventsChecked"))).isEqualTo(number(report.get("eventsChecked")));
    }

    @Test
    @DisplayName("A changed payload is reported at exactly that event, by the ledger and by the patient's streams")
    void aChangedPayloadIsReportedAtThatEvent() {
        String patient = patientWithEvents();
        long consent = globalIndex(patient, 1);

        try (Tampering tampering = new Tampering(ledger.events())) {
            tampering.set(consent, "payload", otherConsentTaker(event(patient, 1).getString("payload")));

            Map<String, Object> report = ledgerVerification();
            assertThat(report).containsEntry("intact", false);
            assertBreak(report.get("firstBreak"), consent, streamKey(patient, 1), "HASH_MISMATCH");
            // an auditor of another practice learns where the ledger broke, not whose stream it is
            assertBreak(ledgerVerification("p-elsewhere").get("firstBreak"), consent, null, "HASH_MISMATCH");

            Map<String, Object> streams = patientVerification(patient);
            assertThat(streams).containsEntry("intact", false);
            Map<String, Object> enrollment = map(list(streams.get("streams")).get(0));
            assertThat(enrollment).containsEntry("stream", PRACTICE + "/" + patient).containsEntry("intact", false);
            assertBreak(enrollment.get("firstBreak"), consent, streamKey(patient, 1), "HASH_MISMATCH");
        }
        assertThat(ledgerVerification()).containsEntry("intact", true);
    }

    @Test
    @DisplayName("A deleted event is reported missing at its global index once a digest sealed it; "
            + "the patient's stream breaks at its next event")
    void aDeletedEventIsReportedMissing() {
        String patient = patientWithEvents();
        long consent = globalIndex(patient, 1);
        long next = globalIndex(patient, 2);
        assertThat(number(seal().get("sealedUpTo"))).isGreaterThanOrEqualTo(next);

        try (Tampering tampering = new Tampering(ledger.events())) {
            tampering.delete(consent);

            Map<String, Object> report = ledgerVerification();
            assertThat(report).containsEntry("intact", false);
            assertBreak(report.get("firstBreak"), consent, null, "MISSING_EVENT");

            Map<String, Object> enrollment = map(list(patientVerification(patient).get("streams")).get(0));
            assertBreak(enrollment.get("firstBreak"), next, streamKey(patient, 2), "SEQUENCE_BROKEN");
        }
        assertThat(ledgerVerification()).containsEntry("intact", true);
    }

    @Test
    @DisplayName("Two events swapped in the ledger order are reported at the first of the two")
    void twoSwappedEventsAreReportedAtTheFirst() {
        String patient = patientWithEvents();
        long first = globalIndex(patient, 2);
        long second = globalIndex(patient, 3);

        try (Tampering tampering = new Tampering(ledger.events())) {
            tampering.swap(first, second);

            Map<String, Object> report = ledgerVerification();
            assertThat(report).containsEntry("intact", false);
            // the event now at the first index is the later one: the global index is part of its hash
            assertBreak(report.get("firstBreak"), first, streamKey(patient, 3), "HASH_MISMATCH");
        }
        assertThat(ledgerVerification()).containsEntry("intact", true);
    }

    @Test
    @DisplayName("A patient's verification covers the enrollment, the care plan and each billing month asked for")
    void aPatientsStreamsAreReportedOneByOne() {
        String patient = patientWithEvents();

        Map<String, Object> verification = getJson("/api/v1/practices/" + PRACTICE + "/patients/" + patient
                                                           + "/verification?months=2026-03,2026-02");

        assertThat(verification).containsEntry("intact", true).containsEntry("patientId", patient);
        List<Object> streams = list(verification.get("streams"));
        String enrollment = PRACTICE + "/" + patient;
        assertThat(streams).extracting(s -> map(s).get("stream"))
                           .containsExactly(enrollment, enrollment + "/care-plan", enrollment + "/billing/2026-02",
                                            enrollment + "/billing/2026-03");
        assertThat(number(map(streams.get(0)).get("eventsChecked"))).isEqualTo(4);
        assertThat(number(map(streams.get(1)).get("eventsChecked"))).isZero();
    }

    @Test
    @DisplayName("An unknown patient is a 404 and malformed months a 400, as problem details without the patient id")
    void unknownPatientsAndBadMonthsAreProblems() {
        String path = "/api/v1/practices/" + PRACTICE + "/patients/";

        client().get().uri(path + "nobody-here/verification").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("UNKNOWN_PATIENT")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).doesNotContain("nobody-here"));
        for (String months : List.of("2026-13", "march", "2026-01,,2026-02", "2026-1")) {
            client().get().uri(path + "pt-1/verification?months=" + months).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.code").isEqualTo("INVALID_PARAMETER");
        }
    }

    private Map<String, Object> parse(String line) {
        try {
            return LINES.readValue(line, new TypeReference<>() {
            });
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
