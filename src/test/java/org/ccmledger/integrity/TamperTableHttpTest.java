package org.ccmledger.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.bson.Document;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;

/**
 * The tampering table of issue 12, one test per row: what someone with write access to the database does to a
 * patient's record, and what each check says of it: the whole-ledger verification, the patient's verification, the
 * verification of a digest taken before, and the verification of the month's statement. Every tampering is undone
 * after its test (the HTTP tests share one store).
 */
class TamperTableHttpTest extends IntegrityHttpSupport {

    private static final String MONTH = "2026-09";

    /** A patient with September closed; its enrollment stream holds enrollment, consent, visit and 30 minutes. */
    private String billedPatient() {
        String patient = "tt-" + System.nanoTime();
        patientWithClosedSeptember(PRACTICE, patient);
        return patient;
    }

    private Map<String, Object> billingVerification(String patient) {
        return getJson("/api/v1/practices/" + PRACTICE + "/patients/" + patient + "/billing/" + MONTH
                       + "/verification");
    }

    private Map<String, Object> patientBreak(String patient) {
        Map<String, Object> report = patientVerification(patient);
        assertThat(report).containsEntry("intact", false);
        return list(report.get("streams")).stream().map(IntegrityHttpSupport::map)
                                          .filter(s -> Boolean.FALSE.equals(s.get("intact")))
                                          .map(s -> map(s.get("firstBreak"))).findFirst().orElseThrow();
    }

    private Map<String, Object> digestLocalisation(Object sequence) {
        Map<String, Object> verification = digestVerification(sequence);
        assertThat(verification).containsEntry("valid", false);
        return map(verification.get("localisation"));
    }

    @Test
    @DisplayName("A payload changed with its hash kept: every check finds it at its global index")
    void aChangedPayloadWithItsHashKept() {
        String patient = billedPatient();
        long minutes = globalIndex(patient, 3);
        Map<String, Object> digest = seal();

        try (Tampering tampering = new Tampering(ledger.events())) {
            tampering.set(minutes, "payload", event(patient, 3).getString("payload")
                                                                .replace("\"minutes\":30", "\"minutes\":95"));

            assertBreak(map(ledgerVerification()).get("firstBreak"), minutes, streamKey(patient, 3), "HASH_MISMATCH");
            assertBreak(patientBreak(patient), minutes, streamKey(patient, 3), "HASH_MISMATCH");
            assertBreak(digestLocalisation(digest.get("sequence")).get("firstChange"), minutes,
                        streamKey(patient, 3), "SEALED_CONTENT_CHANGED");
            assertThat(billingVerification(patient)).containsEntry("match", false);
        }
    }

    @Test
    @DisplayName("A patient's last event deleted: the patient's verification finds its stream cut short")
    void aPatientsLastEventDeleted() {
        String patient = billedPatient();
        long last = globalIndex(patient, 3);
        Map<String, Object> digest = seal();

        try (Tampering tampering = new Tampering(ledger.events())) {
            tampering.delete(last);

            assertBreak(map(ledgerVerification()).get("firstBreak"), last, null, "MISSING_EVENT");
            assertBreak(patientBreak(patient), last, streamKey(patient, 3), "STREAM_TRUNCATED");
            assertThat(number(digestLocalisation(digest.get("sequence")).get("firstEmptySlot"))).isEqualTo(last);
            assertThat(billingVerification(patient)).containsEntry("match", false);

            // no command acts on the record cut short: nothing is appended in the deleted event's place
            post("/api/v1/practices/" + PRACTICE + "/patients/" + patient + "/care-minutes",
                 PatientMother.careMinutes(patient + "-late", "CLINICAL_STAFF", "2026-09-20T14:00:00Z", 5))
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo("LEDGER_INTEGRITY")
                    .jsonPath("$.globalIndex").isEqualTo(last);
            assertThat(event(patient, 3)).isNull();
        }
    }

    @Test
    @DisplayName("An issued adjustment deleted: the patient's and the statement's verification find the month cut "
                 + "short")
    void anIssuedAdjustmentDeleted() {
        String patient = billedPatient();
        post("/api/v1/practices/" + PRACTICE + "/patients/" + patient + "/care-minutes",
             PatientMother.careMinutes(patient + "-late", "CLINICAL_STAFF", "2026-09-20T14:00:00Z", 15))
                .expectStatus().isCreated();
        String billing = PRACTICE + "/" + patient + "/billing/" + MONTH;
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.events()
                .find(Filters.eq("streamKey", "a:" + billing + "#1")).first() != null);
        Document adjustment = ledger.events().find(Filters.eq("streamKey", "a:" + billing + "#1")).first();
        long index = adjustment.get("_id", Number.class).longValue();
        Map<String, Object> digest = seal();
        assertThat(billingVerification(patient)).containsEntry("match", true);

        try (Tampering tampering = new Tampering(ledger.events())) {
            tampering.delete(index);

            assertBreak(map(ledgerVerification()).get("firstBreak"), index, null, "MISSING_EVENT");
            assertBreak(patientBreak(patient), index, "a:" + billing + "#1", "STREAM_TRUNCATED");
            assertThat(number(digestLocalisation(digest.get("sequence")).get("firstEmptySlot"))).isEqualTo(index);
            Map<String, Object> statement = billingVerification(patient);
            assertThat(statement).containsEntry("match", false);
            assertThat(list(statement.get("differences"))).extracting(d -> map(d).get("field"))
                                                          .contains("billing stream");
        }
    }

    @Test
    @DisplayName("An event rewritten and its stream re-chained: its head no longer matches; with the head rewritten "
                 + "too, the digest's sealed head and leaves still find it")
    void anEventRewrittenAndItsStreamRechained() {
        String patient = billedPatient();
        long consent = globalIndex(patient, 1);
        long last = globalIndex(patient, 3);
        Map<String, Object> digest = seal();

        try (Tampering tampering = new Tampering(ledger.events());
             Tampering heads = new Tampering(ledger.streamHeads())) {
            String newLast = tampering.rewriteAndRechain(consent, otherConsentTaker(event(patient, 1)
                                                                                         .getString("payload")));

            assertBreak(map(ledgerVerification()).get("firstBreak"), last, streamKey(patient, 3), "HEAD_MISMATCH");
            assertBreak(patientBreak(patient), last, streamKey(patient, 3), "SEALED_CONTENT_CHANGED");
            assertBreak(digestLocalisation(digest.get("sequence")).get("firstChange"), consent,
                        streamKey(patient, 1), "SEALED_CONTENT_CHANGED");
            assertThat(billingVerification(patient)).containsEntry("match", false);

            heads.set(PRACTICE + "/" + patient, "hash", newLast);
            assertThat(ledgerVerification()).as("every chain and head agrees").containsEntry("intact", true);
            assertBreak(patientBreak(patient), last, streamKey(patient, 3), "SEALED_CONTENT_CHANGED");
            assertBreak(digestLocalisation(digest.get("sequence")).get("firstChange"), consent,
                        streamKey(patient, 1), "SEALED_CONTENT_CHANGED");
        }
    }

    @Test
    @DisplayName("The last event of a stream never billed rewritten and re-hashed: its head no longer matches")
    void theLastEventOfAStreamNeverBilledRewrittenAndRehashed() {
        String patient = patientWithEvents();
        long last = globalIndex(patient, 3);
        Map<String, Object> digest = seal();

        try (Tampering tampering = new Tampering(ledger.events())) {
            tampering.rewriteAndRehash(last, event(patient, 3).getString("payload")
                                                              .replace("\"minutes\":14", "\"minutes\":44"));

            assertBreak(map(ledgerVerification()).get("firstBreak"), last, streamKey(patient, 3), "HEAD_MISMATCH");
            assertBreak(patientBreak(patient), last, streamKey(patient, 3), "SEALED_CONTENT_CHANGED");
            assertBreak(digestLocalisation(digest.get("sequence")).get("firstChange"), last,
                        streamKey(patient, 3), "SEALED_CONTENT_CHANGED");
        }
    }

    @Test
    @DisplayName("A global index or sequence number stored as a 32-bit integer: the typed hash no longer matches")
    void numbersStoredAsInt32() {
        String patient = patientWithEvents();
        long consent = globalIndex(patient, 1);
        long last = globalIndex(patient, 3);
        Map<String, Object> digest = seal();

        try (Tampering tampering = new Tampering(ledger.events())) {
            tampering.restore(last, "sequenceNumber", 3);
            assertBreak(map(ledgerVerification()).get("firstBreak"), last, streamKey(patient, 3), "HASH_MISMATCH");
            assertBreak(patientBreak(patient), last, streamKey(patient, 3), "HASH_MISMATCH");
        }
        try (Tampering tampering = new Tampering(ledger.events())) {
            tampering.restore(consent, "_id", (int) consent);
            assertBreak(map(ledgerVerification()).get("firstBreak"), consent, streamKey(patient, 1),
                        "HASH_MISMATCH");
            assertBreak(patientBreak(patient), consent, streamKey(patient, 1), "HASH_MISMATCH");
            assertBreak(digestLocalisation(digest.get("sequence")).get("firstChange"), consent,
                        streamKey(patient, 1), "SEALED_CONTENT_CHANGED");
        }
    }
}
