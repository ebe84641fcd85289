package org.ccmledger.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class ClinicalRecordHttpTest extends HttpTestBase {

    private String base;

    @BeforeEach
    void enroll() {
        String patient = "cr-" + System.nanoTime();
        base = "/api/v1/practices/p1/patients/" + patient;
        post("/api/v1/practices/p1/patients", PatientMother.enrollment(patient)).expectStatus().isCreated();
    }

    @Test
    void r9AnInitiatingVisitIsRecordedAndG0506OnlyOnce() {
        String visit = "{\"visitDate\":\"2026-03-02\",\"visitType\":\"EM\",\"emLevel\":4,\"practitionerNpi\":\""
                + PatientMother.NPI + "\",\"comprehensiveCarePlanning\":true,\"baseCode\":\"99214\"}";
        post(base + "/initiating-visits", visit).expectStatus().isCreated();
        long before = eventsInLedger();

        post(base + "/initiating-visits", visit.replace("2026-03-02", "2026-03-09"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.rule").isEqualTo("R9");
        post(base + "/initiating-visits", visit.replace("\"emLevel\":4", "\"emLevel\":1"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        post(base + "/initiating-visits", visit.replace("\"EM\"", "\"PHONE\"")).expectStatus().isBadRequest();
        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    void complexityConcurrentServicesAndInpatientStaysAreRecorded() {
        // a practitioner attests only as themselves: naming another is a 403 that writes nothing
        long before = eventsInLedger();
        post(base + "/complexity", "{\"month\":\"2026-03\",\"medicalDecisionMaking\":\"MODERATE\",\"attestedBy\":\"dr-lee\"}")
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("NOT_CALLER");
        assertThat(eventsInLedger()).isEqualTo(before);
        clientAs("dr-lee").post().uri(base + "/complexity").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("{\"month\":\"2026-03\",\"medicalDecisionMaking\":\"MODERATE\",\"attestedBy\":\"dr-lee\"}")
                .exchange().expectStatus().isCreated();
        post(base + "/complexity", "{\"month\":\"2026-03\",\"medicalDecisionMaking\":\"HIGH\"}")
                .expectStatus().isEqualTo(HttpStatus.CONFLICT);
        post(base + "/complexity", "{\"month\":\"2026-3\",\"medicalDecisionMaking\":\"HIGH\",\"attestedBy\":\"x\"}")
                .expectStatus().isBadRequest();
        post(base + "/concurrent-services",
             "{\"code\":\"99495\",\"month\":\"2026-03\",\"practitionerNpi\":\"" + PatientMother.NPI + "\"}")
                .expectStatus().isCreated();
        post(base + "/concurrent-services",
             "{\"code\":\"12345\",\"month\":\"2026-03\",\"practitionerNpi\":\"" + PatientMother.NPI + "\"}")
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        post(base + "/inpatient-stays", "{\"admittedOn\":\"2026-03-03\",\"dischargedOn\":\"2026-03-06\"}")
                .expectStatus().isCreated();
        post(base + "/inpatient-stays", "{\"admittedOn\":\"2026-03-06\",\"dischargedOn\":\"2026-03-03\"}")
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT).expectBody().jsonPath("$.rule").isEqualTo("R4");
        post("/api/v1/practices/p1/patients/nobody/inpatient-stays",
             "{\"admittedOn\":\"2026-03-03\",\"dischargedOn\":\"2026-03-06\"}").expectStatus().isNotFound();
    }
}
