package org.ccmledger.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/**
 * 2026 months of every family billed at the thresholds and compared to the cent (R2, R15, P1), with a QP practitioner
 * and at a facility place of service (R13), as a biller sees them over HTTP; and G0506 on the initiating visit's
 * claim, never on the CCM claim (R9).
 */
class Billing2026HttpTest extends HttpTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    private final String practice = "b26-" + System.nanoTime();

    private String patients(String practiceId) {
        return "/api/v1/practices/" + practiceId + "/patients";
    }

    /** A patient of {@code practiceId} billable from October 2026: consent, care plan, initiating visit in September. */
    private String patient(String practiceId, String npi, boolean g0506) {
        String id = "pt-" + System.nanoTime();
        String base = patients(practiceId) + "/" + id;
        post(patients(practiceId), PatientMother.enrollment(id).replace(PatientMother.NPI, npi))
                .expectStatus().isCreated();
        post(base + "/consents", PatientMother.consent("ACCEPTED", npi, true)).expectStatus().isCreated();
        String plan = PatientMother.carePlan("2026-01-02T15:00:00Z", "2026-01-02T16:00:00Z");
        await().atMost(DEADLINE).untilAsserted(() -> post(base + "/care-plan/revisions", plan)
                .expectStatus().isCreated());
        post(base + "/initiating-visits", "{\"visitDate\":\"2026-10-02\",\"visitType\":\"EM\",\"emLevel\":4,"
                + "\"practitionerNpi\":\"" + npi + "\",\"comprehensiveCarePlanning\":" + g0506
                + (g0506 ? ",\"baseCode\":\"99214\"" : "") + "}").expectStatus().isCreated();
        return base;
    }

    private void minutes(String base, String role, int minutes) {
        post(base + "/care-minutes", PatientMother.careMinutes("e-" + System.nanoTime(), role,
                                                                "2026-10-14T13:00:00Z", minutes))
                .expectStatus().isCreated();
    }

    /** The billing practitioner's own time (R3): logged by the practitioner, whose user id is the NPI. */
    private void ownMinutes(String base, String npi, int minutes) {
        postAs(npi, base + "/care-minutes", PatientMother.careMinutes("e-" + System.nanoTime(), "BILLING_PRACTITIONER",
                                                                       "2026-10-14T13:00:00Z", minutes)
                                                     .replace("\"id\":\"nurse-1\"", "\"id\":\"" + npi + "\""))
                .expectStatus().isCreated();
    }

    /** October 2026 as billing sees it, once the read model counts {@code counted} minutes. */
    private Map<String, Object> october(String base, int counted) {
        Map<String, Object>[] view = new Map[1];
        await().atMost(DEADLINE).untilAsserted(() -> {
            view[0] = client().get().uri(base + "/billing/2026-10").exchange().expectStatus().isOk()
                              .expectBody(JSON).returnResult().getResponseBody();
            assertThat(((Map<?, ?>) view[0].get("minutes")).get("counted")).isEqualTo(counted);
        });
        return view[0];
    }

    @SuppressWarnings("unchecked")
    private static List<String> lines(Map<String, Object> view) {
        return ((List<Map<String, Object>>) view.get("lines")).stream()
                .map(l -> l.get("code") + "x" + l.get("units") + "@" + l.get("unitAmount")).toList();
    }

    @ParameterizedTest(name = "R2, P1, R15: T={0} of staff time in 2026 bills {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "20 | 99490x1@66.13 | 66.13",
            "39 | 99490x1@66.13 | 66.13",
            "40 | 99490x1@66.13 99439x1@50.44 | 116.57",
            "60 | 99490x1@66.13 99439x2@50.44 | 167.01",
            "75 | 99490x1@66.13 99439x2@50.44 | 167.01"})
    void staffTimeAtTheThresholds(int minutes, String expected, String total) {
        String base = patient(practice, PatientMother.NPI, false);
        minutes(base, "CLINICAL_STAFF", minutes);

        Map<String, Object> view = october(base, minutes);

        assertThat(lines(view)).containsExactly(expected.split(" "));
        assertThat(view).containsEntry("totalAmount", total).containsEntry("family", "NON_COMPLEX")
                        .containsEntry("ruleVersion", "ccm-rules-2026.2").containsEntry("feeSetting", "NON_FACILITY")
                        .containsEntry("placeOfService", "11");
    }

    @ParameterizedTest(name = "R3, P1, R15: P={0} of the practitioner's own time bills {1} = {2} ({3})")
    @CsvSource(delimiter = '|', value = {
            "35 | 99491x1@89.18 | 89.18 | PRACTITIONER",
            // P also counts in T: 99490 + 2 x 99439 (167.01) is more than 99491 + 99437 (152.31), and P1 bills more
            "60 | 99490x1@66.13 99439x2@50.44 | 167.01 | NON_COMPLEX"})
    void practitionerTimeBills99491(int minutes, String expected, String total, String family) {
        String base = patient(practice, PatientMother.NPI, false);
        ownMinutes(base, PatientMother.NPI, minutes);

        Map<String, Object> view = october(base, minutes);

        assertThat(lines(view)).containsExactly(expected.split(" "));
        assertThat(view).containsEntry("totalAmount", total).containsEntry("family", family);
    }

    @Test
    @DisplayName("P1, R15: complex CCM at T=90 (99487 + 99489 = 222.45) beats 99490 + 2 x 99439 (167.01)")
    void complexAtNinetyMinutes() {
        String base = patient(practice, PatientMother.NPI, false);
        post(base + "/complexity", "{\"month\":\"2026-10\",\"medicalDecisionMaking\":\"HIGH\"}")
                .expectStatus().isCreated();
        String revision = PatientMother.carePlan("2026-10-05T15:00:00Z", "2026-10-05T16:00:00Z")
                                       .replace("\"substantialRevision\":false", "\"substantialRevision\":true");
        post(base + "/care-plan/revisions", revision).expectStatus().isCreated();
        minutes(base, "CLINICAL_STAFF", 90);

        Map<String, Object> view = october(base, 90);

        assertThat(lines(view)).containsExactly("99487x1@144.29", "99489x1@78.16");
        assertThat(view).containsEntry("totalAmount", "222.45").containsEntry("family", "COMPLEX");
    }

    @Test
    @DisplayName("R15: a Qualifying APM Participant is priced with 33.5675: 99491 = 2.67 x 33.5675 = 89.63")
    void qualifyingParticipant() {
        String base = patient(practice, PatientMother.QP_NPI, false);
        ownMinutes(base, PatientMother.QP_NPI, 30);

        Map<String, Object> view = october(base, 30);

        assertThat(lines(view)).containsExactly("99491x1@89.63");
        assertThat(view).containsEntry("qualifyingParticipant", true).containsEntry("conversionFactor", "33.5675");
    }

    @Test
    @DisplayName("R13, R15: a practice billing from a facility place of service (POS 22) is paid the facility rate")
    void facilityPlaceOfService() {
        String facility = "b26f-" + System.nanoTime();
        client().put().uri("/api/v1/practices/" + facility + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"placeOfService\":\"22\"}").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.version").isEqualTo(1);
        String base = patient(facility, PatientMother.NPI, false);
        minutes(base, "CLINICAL_STAFF", 40);

        Map<String, Object> view = october(base, 40);

        assertThat(lines(view)).containsExactly("99490x1@43.76", "99439x1@30.73");
        assertThat(view).containsEntry("totalAmount", "74.49").containsEntry("feeSetting", "FACILITY")
                        .containsEntry("placeOfService", "22");
    }

    @Test
    @DisplayName("R9: G0506 goes on the initiating visit's claim with its base code, never on the CCM claim")
    void g0506RidesOnTheVisitsClaim() {
        String visitPractice = "b26v-" + System.nanoTime();
        String base = patient(visitPractice, PatientMother.NPI, true);
        minutes(base, "CLINICAL_STAFF", 25);
        Map<String, Object> view = october(base, 25);
        assertThat(lines(view)).containsExactly("99490x1@66.13");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> addOns = (List<Map<String, Object>>) view.get("visitAddOns");
        assertThat(addOns).singleElement().satisfies(addOn -> assertThat(addOn)
                .containsEntry("code", "G0506").containsEntry("baseCode", "99214")
                .containsEntry("visitDate", "2026-10-02").containsEntry("practitioner", PatientMother.NPI)
                .containsEntry("amount", "66.47"));
        client().post().uri("/api/v1/practices/" + visitPractice + "/billing/2026-10/close").exchange()
                .expectStatus().isOk();

        String csv = client().get().uri("/api/v1/practices/" + visitPractice + "/claims/2026-10")
                             .accept(MediaType.parseMediaType("text/csv")).exchange().expectStatus().isOk()
                             .expectBody(String.class).returnResult().getResponseBody();
        List<String> rows = List.of(csv.split("\r\n"));
        assertThat(rows.get(0)).endsWith(",claimKind,addOnTo");
        assertThat(rows).filteredOn(r -> r.contains(",CCM,")).hasSize(1).allMatch(r -> r.contains(",99490,"));
        assertThat(rows).filteredOn(r -> r.contains(",INITIATING_VISIT,"))
                        .anyMatch(r -> r.contains(",99214,1,unknown,unknown,2026-10-02,"))
                        .anyMatch(r -> r.contains(",G0506,1,66.47,66.47,2026-10-02,") && r.endsWith(",99214"));

        String fhir = client().get().uri("/api/v1/practices/" + visitPractice + "/claims/2026-10")
                              .accept(MediaType.parseMediaType("application/fhir+json")).exchange()
                              .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(fhir).contains("\"code\": \"G0506\"").contains("\"code\": \"99214\"")
                        .contains("\"start\": \"2026-10-02\"");

        // what an 837P needs: the practice's profile and the patient's identity
        client().put().uri("/api/v1/practices/" + visitPractice + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PatientMother.PRACTICE_PROFILE).exchange().expectStatus().isOk();
        client().put().uri(base + "/identity").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PatientMother.IDENTITY).exchange().expectStatus().isOk();
        var x12 = client().get().uri("/api/v1/practices/" + visitPractice + "/claims/2026-10")
                          .accept(MediaType.parseMediaType("application/edi-x12")).exchange()
                          .expectStatus().isOk().expectBody(String.class).returnResult();
        assertThat(x12.getResponseHeaders().getFirst("X-Add-Ons-Left-Out"))
                .startsWith("1 G0506 add-on(s) left out: G0506 belongs on the initiating visit's claim");
        assertThat(x12.getResponseBody()).doesNotContain("G0506").contains("HC:99490");

        // a practice that exports the visit's claim too: it is withheld while its base code has no amount (R15);
        // the CCM claim went out already, so nothing is left to send
        client().put().uri("/api/v1/practices/" + visitPractice + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PatientMother.PRACTICE_PROFILE.replace("{\"placeOfService\":\"11\",",
                                                                  "{\"placeOfService\":\"11\",\"exportVisitClaims\":true,"))
                .exchange().expectStatus().isOk();
        client().get().uri("/api/v1/practices/" + visitPractice + "/claims/2026-10")
                .accept(MediaType.parseMediaType("application/edi-x12")).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("NO_CLAIMS")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("withheld (unknown amounts): [").contains("-V]"));
    }
}
