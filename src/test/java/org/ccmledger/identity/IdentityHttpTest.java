package org.ccmledger.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.bson.Document;
import org.ccmledger.platform.security.Role;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import com.mongodb.client.model.Filters;

/**
 * A patient's identity kept as PHI should be: recorded at enrollment or later, sealed with the patient's own key
 * (never in an event in clear), read only by the roles that need it and access-logged, and erased for good while the
 * ledger stays verifiable.
 */
class IdentityHttpTest extends HttpTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String IDENTITY = """
            {"mbi":"1EG4-TE5-MK73","givenName":"Zenobia","familyName":"Quillfeather","birthDate":"1948-03-14",
             "sex":"F","address":{"line1":"5 Oak Ave","city":"Springfield","state":"IL","zip":"62704"}}""";

    private final String practice = "id-" + System.nanoTime();
    private final String patients = "/api/v1/practices/" + practice + "/patients";

    private List<Document> storedEventsOf(String stream) {
        return ledger.events().find(Filters.eq("aggregateIdentifier", stream)).into(new java.util.ArrayList<>());
    }

    @Test
    @DisplayName("Enrollment records the identity sealed: the ledger holds no name or MBI in clear, billing reads it")
    void enrollmentRecordsTheIdentitySealed() {
        String enrollment = PatientMother.enrollment("pt-1").replace("\"chronicConditions\"",
                                                                    "\"identity\":" + IDENTITY + ",\"chronicConditions\"");
        post(patients, enrollment).expectStatus().isCreated();

        List<Document> events = storedEventsOf(practice + "/pt-1/identity");
        assertThat(events).singleElement().satisfies(event -> assertThat(event.toJson())
                .doesNotContain("Quillfeather").doesNotContain("Zenobia").doesNotContain("1EG4TE5MK73")
                .doesNotContain("1948-03-14").contains("ciphertext"));
        clientAs("biller-1", Set.of(Role.BILLING)).get().uri(patients + "/pt-1/identity").exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("PRESENT").jsonPath("$.version").isEqualTo(1)
                .jsonPath("$.identity.mbi").isEqualTo("1EG4TE5MK73")
                .jsonPath("$.identity.familyName").isEqualTo("Quillfeather")
                .jsonPath("$.identity.address.zip").isEqualTo("62704");
        clientAs("nurse-9", Set.of(Role.CARE_STAFF)).get().uri(patients + "/pt-1/identity").exchange()
                .expectStatus().isForbidden();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(
                ledger.events().find(Filters.eq("payloadType", "org.ccmledger.audit.api.PatientDataAccessed"))
                      .into(new java.util.ArrayList<>()))
                .anySatisfy(access -> assertThat(access.getString("payload"))
                        .contains("\"resource\":\"identity\"").contains("\"patientId\":\"pt-1\"")));
    }

    @Test
    @DisplayName("An MBI CMS would not issue, or a bad field, is refused and writes nothing: not the enrollment either")
    void aBadIdentityWritesNothing() {
        String enrollment = practice + "/pt-2";
        String identity = enrollment + "/identity";
        String badMbi = PatientMother.enrollment("pt-2").replace("\"chronicConditions\"",
                "\"identity\":" + IDENTITY.replace("1EG4-TE5-MK73", "1SG4TE5MK73") + ",\"chronicConditions\"");
        post(patients, badMbi).expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("INVALID_MBI")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).doesNotContain("1SG4TE5MK73"));
        String badZip = PatientMother.enrollment("pt-2").replace("\"chronicConditions\"",
                "\"identity\":" + IDENTITY.replace("62704", "6270") + ",\"chronicConditions\"");
        post(patients, badZip).expectStatus().isBadRequest();
        assertThat(streamHead(enrollment)).isEqualTo(-1);
        assertThat(streamHead(identity)).isEqualTo(-1);
    }

    @Test
    @DisplayName("A correction is a new version; erasure destroys the key: unreadable for good, the ledger still verifies")
    void correctionAndErasure() {
        post(patients, PatientMother.enrollment("pt-3")).expectStatus().isCreated();
        await().atMost(DEADLINE).untilAsserted(() -> client().put().uri(patients + "/pt-3/identity")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(IDENTITY).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.version").isEqualTo(1));
        client().put().uri(patients + "/pt-3/identity").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(IDENTITY.replace("5 Oak Ave", "7 Pine St")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.version").isEqualTo(2);
        client().get().uri(patients + "/pt-3/identity").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.identity.address.line1").isEqualTo("7 Pine St");

        // R18: seven years from the last date of service; a patient seen now cannot be erased on that basis
        long head = streamHead(practice + "/pt-3/identity");
        client().post().uri(patients + "/pt-3/identity/erasure").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"basis\":\"RETENTION_ENDED\",\"reason\":\"retention period over\"}").exchange()
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("RETENTION_PERIOD")
                .jsonPath("$.rule").isEqualTo("R18")
                .jsonPath("$.erasableFrom").value(from -> assertThat(java.time.LocalDate.parse((String) from))
                        .isAfter(java.time.LocalDate.now().plusYears(6)));
        client().post().uri(patients + "/pt-3/identity/erasure").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"basis\":\"WHENEVER\",\"reason\":\"x\"}").exchange().expectStatus().isBadRequest();
        assertThat(streamHead(practice + "/pt-3/identity")).isEqualTo(head);
        client().get().uri(patients + "/pt-3/identity").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("PRESENT");

        client().post().uri(patients + "/pt-3/identity/erasure").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"basis\":\"LEGAL_ORDER\",\"reason\":\"court order 2026-CV-0042\"}").exchange()
                .expectStatus().isOk();

        client().get().uri(patients + "/pt-3/identity").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("ERASED").jsonPath("$.identity").doesNotExist();
        client().put().uri(patients + "/pt-3/identity").contentType(MediaType.APPLICATION_JSON).bodyValue(IDENTITY)
                .exchange().expectStatus().isEqualTo(409);
        client().get().uri(patients + "/pt-3/verification").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.intact").isEqualTo(true)
                .jsonPath("$.streams[?(@.stream == '" + practice + "/pt-3/identity')].eventsChecked").isEqualTo(3);
        client().get().uri("/api/v1/practices/" + practice + "/patients/nobody/identity").exchange()
                .expectStatus().isNotFound();
    }
}
