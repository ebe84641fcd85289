package org.ccmledger.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class EnrollmentHttpTest extends HttpTestBase {

    private static final String PATIENTS = "/api/v1/practices/p1/patients";

    @Test
    void aPatientIsEnrolledAndCanBeFoundAtItsLocation() {
        post(PATIENTS, PatientMother.enrollment("enr-1"))
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/practices/p1/patients/enr-1")
                .expectBody().jsonPath("$.patientId").isEqualTo("enr-1");
    }

    @Test
    void thePatientsCurrentStateShowsConditionsPractitionerAndConsent() {
        enrollWithConsent("p1", "enr-view");
        post(PATIENTS + "/enr-view/consents/revocation", "{\"revokedAt\":\"2026-05-10T14:00:00Z\",\"reason\":\"stop\"}")
                .expectStatus().isCreated();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                client().get().uri(PATIENTS + "/enr-view").exchange()
                        .expectStatus().isOk()
                        .expectBody()
                        .jsonPath("$.billingPractitionerNpi").isEqualTo(PatientMother.NPI)
                        .jsonPath("$.timeZone").isEqualTo("America/New_York")
                        .jsonPath("$.chronicConditions.length()").isEqualTo(2)
                        .jsonPath("$.chronicConditions[0].code").isEqualTo("E11.9")
                        .jsonPath("$.consent.status").isEqualTo("REVOKED")
                        .jsonPath("$.consent.effectiveUntil").isEqualTo("2026-06-01T04:00:00Z"));
        client().get().uri(PATIENTS + "/nobody").exchange().expectStatus().isNotFound();
    }

    @Test
    void aReplayedCreationCarriesItsLocationAndTheKeyBelongsToItsActor() {
        String body = PatientMother.enrollment("enr-idem");
        client().post().uri(PATIENTS).contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "k-enr-idem").bodyValue(body).exchange()
                .expectStatus().isCreated();
        client().post().uri(PATIENTS).contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "k-enr-idem").bodyValue(body).exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/practices/p1/patients/enr-idem");
        // the key is its user's: someone else's request with the same key is theirs, not a replay of the first
        clientAs("someone-else").post().uri(PATIENTS).contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "k-enr-idem").bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().doesNotExist("Idempotent-Replayed");
        // the same user reusing the key for another request
        client().post().uri(PATIENTS).contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "k-enr-idem").bodyValue(PatientMother.enrollment("enr-other")).exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void problemResponsesAndLogsDoNotNameThePatient(org.springframework.boot.test.system.CapturedOutput output) {
        String detail = post(PATIENTS + "/secret-patient-42/care-minutes",
                             PatientMother.careMinutes("e", "CLINICAL_STAFF", "2026-10-12T09:00:00Z", 5))
                .expectStatus().isNotFound()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(detail).doesNotContain("secret-patient-42").contains("urn:ccm-ledger:request:");
        String malformed = post(PATIENTS + "/secret-patient-42/care-minutes", "{oops")
                .expectStatus().isBadRequest().expectBody(String.class).returnResult().getResponseBody();
        assertThat(malformed).doesNotContain("secret-patient-42");
        assertThat(output.getAll()).as("no patient id in the log").doesNotContain("secret-patient-42");
    }

    @Test
    void enrollingTheSamePatientTwiceIsAConflictAndWritesNothing() {
        post(PATIENTS, PatientMother.enrollment("enr-2")).expectStatus().isCreated();
        long before = eventsInLedger();

        post(PATIENTS, PatientMother.enrollment("enr-2")).expectStatus().isEqualTo(HttpStatus.CONFLICT);
        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    void theSamePatientIdInAnotherPracticeIsAnotherPatient() {
        post(PATIENTS, PatientMother.enrollment("enr-3")).expectStatus().isCreated();
        post("/api/v1/practices/p2/patients", PatientMother.enrollment("enr-3")).expectStatus().isCreated();
    }

    @Test
    void r7FewerThanTwoQualifyingConditionsIs422WithTheRule() {
        long before = eventsInLedger();

        post(PATIENTS, PatientMother.enrollment("enr-4", "America/Chicago", false))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.rule").isEqualTo("R7");
        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    void invalidNpiZoneOrCodeIsRefused() {
        post(PATIENTS, PatientMother.enrollment("enr-5").replace(PatientMother.NPI, "1234567890"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_NPI");
        post(PATIENTS, PatientMother.enrollment("enr-5", "Mars/Olympus", true)).expectStatus().isBadRequest();
        post(PATIENTS, PatientMother.enrollment("enr-5", "-05:00", true)).expectStatus().isBadRequest();
        post(PATIENTS, PatientMother.enrollment("enr-5").replace("E11.9", "diabetes"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.rule").isEqualTo("R7");
        post(PATIENTS, PatientMother.enrollment("bad id!")).expectStatus().isBadRequest();
        post(PATIENTS, PatientMother.enrollment("enr-5").replace("\"qualifiedMedicareBeneficiary\":false,", ""))
                .expectStatus().isBadRequest();
    }
}
