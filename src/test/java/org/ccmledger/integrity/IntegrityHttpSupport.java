package org.ccmledger.integrity;

import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.ccmledger.platform.security.Role;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

import com.mongodb.client.model.Filters;

/** A patient with a few events to tamper with, and the integrity endpoints as JSON maps. */
abstract class IntegrityHttpSupport extends HttpTestBase {

    static final String PRACTICE = "p-int";
    static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    /** Enrolls a patient with consent and logs two care-time entries: the enrollment stream's events 0 to 3. */
    String patientWithEvents() {
        String patient = "ig-" + System.nanoTime();
        enrollWithConsent(PRACTICE, patient);
        String base = "/api/v1/practices/" + PRACTICE + "/patients/" + patient + "/care-minutes";
        post(base, PatientMother.careMinutes("e1", "CLINICAL_STAFF", "2026-03-10T14:00:00Z", 12))
                .expectStatus().isCreated();
        post(base, PatientMother.careMinutes("e2", "CLINICAL_STAFF", "2026-03-11T14:00:00Z", 14))
                .expectStatus().isCreated();
        return patient;
    }

    /** The stored event of the patient's enrollment stream with this sequence number. */
    Document event(String patient, long sequence) {
        return ledger.events().find(Filters.eq("streamKey", streamKey(patient, sequence))).first();
    }

    long globalIndex(String patient, long sequence) {
        return event(patient, sequence).get("_id", Number.class).longValue();
    }

    /** The consent event's payload with another person named as having obtained it. */
    static String otherConsentTaker(String payload) {
        String changed = payload.replace("\"obtainedBy\":\"rn-7\"", "\"obtainedBy\":\"rn-666\"");
        org.assertj.core.api.Assertions.assertThat(changed).as("the payload changed").isNotEqualTo(payload);
        return changed;
    }

    static String streamKey(String patient, long sequence) {
        return "a:" + PRACTICE + "/" + patient + "#" + sequence;
    }

    Map<String, Object> getJson(String uri) {
        return client().get().uri(uri).accept(MediaType.APPLICATION_JSON).exchange()
                       .expectStatus().isOk()
                       .expectBody(JSON).returnResult().getResponseBody();
    }

    /** The whole ledger's verification as an auditor of {@value #PRACTICE} sees it. */
    Map<String, Object> ledgerVerification() {
        return ledgerVerification(PRACTICE);
    }

    /** The whole ledger's verification as an auditor of {@code practice} sees it. */
    Map<String, Object> ledgerVerification(String practice) {
        return asAuditorOf(practice, "/api/v1/ledger/verification");
    }

    /** A ledger-wide answer (no practice in its path) as a platform auditor who also audits {@code practice} sees it. */
    Map<String, Object> asAuditorOf(String practice, String uri) {
        String token = tokens().mint("auditor-" + practice, java.util.Set.of(Role.PLATFORM_AUDITOR), practice);
        return anonymous().get().uri(uri).accept(MediaType.APPLICATION_JSON)
                          .header(org.springframework.http.HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                          .expectStatus().isOk()
                          .expectBody(JSON).returnResult().getResponseBody();
    }

    Map<String, Object> patientVerification(String patient) {
        return getJson("/api/v1/practices/" + PRACTICE + "/patients/" + patient + "/verification");
    }

    Map<String, Object> seal() {
        return client().post().uri("/api/v1/ledger/digests").exchange()
                       .expectStatus().isCreated()
                       .expectBody(JSON).returnResult().getResponseBody();
    }

    /** A digest's verification as an auditor of {@value #PRACTICE} sees it. */
    Map<String, Object> digestVerification(Object sequence) {
        return asAuditorOf(PRACTICE, "/api/v1/ledger/digests/" + sequence + "/verification");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    static long number(Object value) {
        return ((Number) value).longValue();
    }

    /** Asserts the reported break is at exactly this event, with this problem. */
    static void assertBreak(Object reported, long globalIndex, String streamKey, String problem) {
        Map<String, Object> actual = map(reported);
        org.assertj.core.api.Assertions.assertThat(actual).as("first break").isNotNull();
        org.assertj.core.api.Assertions.assertThat(number(actual.get("globalIndex"))).isEqualTo(globalIndex);
        org.assertj.core.api.Assertions.assertThat(actual.get("streamKey")).isEqualTo(streamKey);
        org.assertj.core.api.Assertions.assertThat(actual.get("problem")).isEqualTo(problem);
    }
}
