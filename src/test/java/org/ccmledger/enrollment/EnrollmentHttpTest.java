package org.ccmledger.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

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
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_NPI");
        post(PATIENTS, PatientMother.enrollment("enr-5", "Mars/Olympus", true)).expectStatus().isBadRequest();
        post(PATIENTS, PatientMother.enrollment("enr-5").replace("E11.9", "diabetes"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.rule").isEqualTo("R7");
        post(PATIENTS, PatientMother.enrollment("bad id!")).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        post(PATIENTS, PatientMother.enrollment("enr-5").replace("\"qualifiedMedicareBeneficiary\":false,", ""))
                .expectStatus().isBadRequest();
    }
}
