package org.ccmledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Strict JSON: duplicate keys, fractions for whole numbers and numbers out of range are 400s that write nothing. */
class StrictJsonHttpTest extends HttpTestBase {

    private static final String VALID_MINUTES = PatientMother.careMinutes("e1", "CLINICAL_STAFF",
                                                                          "2026-10-12T09:00:00Z", 20);

    /** A patient of a new practice, enrolled with consent: their path. */
    private String consentedPatient(String practice) {
        enrollWithConsent(practice, "pt-1");
        return "/api/v1/practices/" + practice + "/patients/pt-1";
    }

    @Test
    @DisplayName("A key given twice, 19.9 minutes, or minutes beyond an int are refused (400) and write nothing")
    void strictJson() {
        String practice = "sj-" + System.nanoTime();
        String minutes = consentedPatient(practice) + "/care-minutes";
        String valid = VALID_MINUTES;
        long before = eventsInLedger();

        post(minutes, valid.replace("\"minutes\":20", "\"minutes\":20,\"minutes\":45")).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post(minutes, valid.replace("\"minutes\":20", "\"minutes\":19.9")).expectStatus().isBadRequest();
        post(minutes, valid.replace("\"minutes\":20", "\"minutes\":99999999999")).expectStatus().isBadRequest();
        post("/api/v1/practices/" + practice + "/patients",
             PatientMother.enrollment("pt-2").replace("{\"patientId\":\"pt-2\",",
                                                      "{\"patientId\":\"pt-2\",\"patientId\":\"pt-3\","))
                .expectStatus().isBadRequest();

        assertThat(eventsInLedger()).isEqualTo(before);
        post(minutes, valid).expectStatus().isCreated();
    }

    @Test
    @DisplayName("A date-time whose year is not four digits (RFC 3339) is refused (400) and writes nothing: once in the "
                 + "ledger, the patients read model could not store it as a date")
    void dateTimesHaveFourDigitYears() {
        String patient = consentedPatient("sd-" + System.nanoTime());
        String minutes = VALID_MINUTES;
        long before = eventsInLedger();

        for (String far : java.util.List.of("+100000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                                            "-0001-01-01T00:00:00Z")) {
            post(patient + "/disenrollment", "{\"effectiveAt\":\"" + far + "\",\"reason\":\"moved\"}")
                    .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
            post(patient + "/care-minutes", minutes.replace("2026-10-12T09:00:00Z", far)).expectStatus().isBadRequest();
        }
        post(patient + "/care-minutes", minutes.replace("2026-10-12T09:00:00Z", "2026-10-12T09:00")).expectStatus()
                .isBadRequest();
        assertThat(eventsInLedger()).isEqualTo(before);

        post(patient + "/care-minutes", minutes.replace("2026-10-12T09:00:00Z", "2026-10-12T05:00:00-04:00"))
                .expectStatus().isCreated();
    }

    @Test
    @DisplayName("Text and lists have limits: a 201-character condition (422), 51 conditions, a 2001-character note (400)")
    void lengthLimits() {
        String practice = "sl-" + System.nanoTime();
        String patients = "/api/v1/practices/" + practice + "/patients";
        String enrollment = PatientMother.enrollment("pt-1");
        String condition = "{\"code\":\"I10\",\"description\":\"Hypertension\",\"expectedToLast12Months\":true,"
                + "\"significantRisk\":true}";
        long before = eventsInLedger();

        post(patients, enrollment.replace("Type 2 diabetes", "d".repeat(201))).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("description"));
        post(patients, enrollment.replace("\"chronicConditions\":[", "\"chronicConditions\":["
                + (condition + ",").repeat(49))).expectStatus().isBadRequest();
        post(patients + "/pt-1/care-minutes", PatientMother.careMinutes("e1", "CLINICAL_STAFF",
                                                                        "2026-10-12T09:00:00Z", 20)
                .replace("called about refills", "n".repeat(2001))).expectStatus().isBadRequest();
        assertThat(eventsInLedger()).isEqualTo(before);

        post(patients, enrollment.replace("Type 2 diabetes", "d".repeat(200))).expectStatus().isCreated();
    }
}
