package org.ccmledger.consent;

import static org.assertj.core.api.Assertions.assertThat;

import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class ConsentHttpTest extends HttpTestBase {

    private String base;

    @BeforeEach
    void enroll() {
        String patient = "c-" + System.nanoTime();
        base = "/api/v1/practices/p1/patients/" + patient;
        post("/api/v1/practices/p1/patients", PatientMother.enrollment(patient)).expectStatus().isCreated();
    }

    private String minutes(String entryId, String startedAt) {
        return PatientMother.careMinutes(entryId, "CLINICAL_STAFF", startedAt, 20);
    }

    @Test
    void r8TimeIsRefusedUntilConsentIsRecorded() {
        post(base + "/care-minutes", minutes("m1", "2026-03-01T15:00:00Z"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.rule").isEqualTo("R8");

        post(base + "/consents", PatientMother.consent()).expectStatus().isCreated()
                .expectBody().jsonPath("$.decision").isEqualTo("ACCEPTED");

        post(base + "/care-minutes", minutes("m1", "2026-03-01T15:00:00Z")).expectStatus().isCreated();
        post(base + "/care-minutes", minutes("m0", "2025-12-01T15:00:00Z"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
    }

    @Test
    void r8ConsentWithoutEveryDisclosureIsRefusedAndWritesNothing() {
        long before = eventsInLedger();

        post(base + "/consents", PatientMother.consent("ACCEPTED", PatientMother.NPI, false))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.rule").isEqualTo("R8").jsonPath("$.code").isEqualTo("DISCLOSURE_MISSING");
        post(base + "/consents", PatientMother.consent().replace("\"rightToStop\":true", "\"rightToStop\":null"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        post(base + "/consents", PatientMother.consent().replace("VERBAL", "TELEPATHIC")).expectStatus().isBadRequest();

        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    void aDeclinedConsentIsRecorded() {
        post(base + "/consents", PatientMother.consent("DECLINED", PatientMother.NPI, true))
                .expectStatus().isCreated().expectBody().jsonPath("$.decision").isEqualTo("DECLINED");
        post(base + "/care-minutes", minutes("m1", "2026-03-01T15:00:00Z"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
    }

    @Test
    void r8RevocationTakesEffectAtTheEndOfTheMonthInTheBillingLocation() {
        post(base + "/consents", PatientMother.consent()).expectStatus().isCreated();

        post(base + "/consents/revocation", "{\"revokedAt\":\"2026-05-10T14:00:00-04:00\",\"reason\":\"asked to stop\"}")
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.effectiveAt").isEqualTo("2026-06-01T04:00:00Z");

        post(base + "/care-minutes", minutes("m-may", "2026-05-28T15:00:00Z")).expectStatus().isCreated();
        post(base + "/care-minutes", minutes("m-june", "2026-06-02T15:00:00Z"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.rule").isEqualTo("R8");
        post(base + "/consents/revocation", "{\"revokedAt\":\"2026-05-11T14:00:00Z\",\"reason\":\"again\"}")
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
    }

    @Test
    void r8AChangedPractitionerNeedsNewConsent() {
        String next = "1245319599";
        post(base + "/consents", PatientMother.consent()).expectStatus().isCreated();

        post(base + "/billing-practitioner",
             "{\"billingPractitionerNpi\":\"" + next + "\",\"effectiveAt\":\"2026-04-01T04:00:00Z\"}")
                .expectStatus().isCreated();
        post(base + "/care-minutes", minutes("m-apr", "2026-04-10T15:00:00Z"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        post(base + "/consents", PatientMother.consent("ACCEPTED", PatientMother.NPI, true))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        post(base + "/consents", PatientMother.consent("ACCEPTED", next, true)
                                              .replace("2026-01-01T15:00:00Z", "2026-04-02T15:00:00Z"))
                .expectStatus().isCreated();
        post(base + "/care-minutes", minutes("m-apr", "2026-04-10T15:00:00Z")).expectStatus().isCreated();
    }

    @Test
    void deathAndDisenrollmentEndCareTime() {
        post(base + "/consents", PatientMother.consent()).expectStatus().isCreated();
        post(base + "/death", "{\"dateOfDeath\":\"2026-06-15\"}").expectStatus().isCreated();

        post(base + "/care-minutes", minutes("m1", "2026-06-15T15:00:00Z")).expectStatus().isCreated();
        post(base + "/care-minutes", minutes("m2", "2026-06-17T15:00:00Z"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        post(base + "/death", "{\"dateOfDeath\":\"2026-06-14\"}").expectStatus().isEqualTo(HttpStatus.CONFLICT);
        post(base + "/disenrollment", "{\"effectiveAt\":\"2026-06-01T00:00:00Z\",\"reason\":\"moved\"}")
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.code").isEqualTo("LOGGED_TIME_AFTER_EFFECTIVE_DATE");
        post(base + "/disenrollment", "{\"effectiveAt\":\"2026-06-16T00:00:00Z\",\"reason\":\"moved\"}")
                .expectStatus().isCreated();
        post(base + "/care-minutes", minutes("m3", "2026-06-16T15:00:00Z"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        post("/api/v1/practices/p1/patients/nobody/death", "{\"dateOfDeath\":\"2026-06-15\"}")
                .expectStatus().isNotFound();
    }
}
