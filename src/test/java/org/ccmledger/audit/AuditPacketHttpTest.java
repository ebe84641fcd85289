package org.ccmledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.DisplayName;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/** The audit packet of a closed patient-month, as JSON and as a PDF read back with another library (section 5). */
class AuditPacketHttpTest extends HttpTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @Test
    @DisplayName("R7, R8, R9, R10, P4: the packet carries enrollment, consent evidence, plan, visit, every entry with its changes, the statement and the hash check")
    void packetOfAClosedMonth() throws Exception {
        String practice = "pk-" + System.nanoTime();
        String patients = "/api/v1/practices/" + practice + "/patients";
        post(patients, PatientMother.enrollment("pt-k")).expectStatus().isCreated();
        post(patients + "/pt-k/consents", PatientMother.consent()).expectStatus().isCreated();
        String plan = PatientMother.carePlan("2026-01-02T15:00:00Z", "2026-01-02T16:00:00Z");
        await().atMost(DEADLINE).untilAsserted(() -> post(patients + "/pt-k/care-plan/revisions", plan)
                .expectStatus().isCreated());
        post(patients + "/pt-k/initiating-visits", "{\"visitDate\":\"2026-09-02\",\"visitType\":\"EM\",\"emLevel\":4,"
             + "\"practitionerNpi\":\"" + PatientMother.NPI + "\",\"comprehensiveCarePlanning\":false}")
                .expectStatus().isCreated();
        post(patients + "/pt-k/complexity", "{\"month\":\"2026-09\",\"medicalDecisionMaking\":\"HIGH\","
             + "\"attestedBy\":\"nurse-1\"}").expectStatus().isCreated();
        post(patients + "/pt-k/care-minutes", PatientMother.careMinutes("k1", "CLINICAL_STAFF",
                                                                         "2026-09-10T14:00:00Z", 30))
                .expectStatus().isCreated();
        post(patients + "/pt-k/care-minutes", PatientMother.careMinutes("k2", "CLINICAL_STAFF",
                                                                         "2026-09-11T14:00:00Z", 15))
                .expectStatus().isCreated();
        post(patients + "/pt-k/care-minutes/k1/correction", "{\"minutes\":25,\"reason\":\"rounded up by mistake\"}")
                .expectStatus().is2xxSuccessful();
        post(patients + "/pt-k/care-minutes/k2/void", "{\"reason\":\"charted on the wrong patient\"}")
                .expectStatus().is2xxSuccessful();
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(
                client().get().uri(patients + "/pt-k/billing/2026-09").exchange().expectStatus().isOk()
                        .expectBody(MAP).returnResult().getResponseBody().get("family")).isEqualTo("NON_COMPLEX"));
        client().post().uri("/api/v1/practices/" + practice + "/billing/2026-09/close").exchange()
                .expectStatus().isOk();

        Map<String, Object> packet = client().get().uri(patients + "/pt-k/audit-packet/2026-09")
                                             .accept(MediaType.APPLICATION_JSON).exchange()
                                             .expectStatus().isOk().expectBody(MAP).returnResult()
                                             .getResponseBody();
        assertThat(packet).containsEntry("patientId", "pt-k").containsEntry("month", "2026-09");
        assertThat(list(((Map<?, ?>) packet.get("enrollment")).get("conditions"))).hasSize(2);
        assertThat(list(packet.get("consents"))).singleElement().satisfies(c -> assertThat(c)
                .containsEntry("decision", "ACCEPTED").containsEntry("rightToStopDisclosed", true)
                .containsEntry("costSharingDisclosed", true));
        assertThat(((Map<?, ?>) packet.get("carePlanInForce")).get("version")).isEqualTo(1);
        assertThat(list(packet.get("initiatingVisits"))).hasSize(1);
        assertThat(list(packet.get("timeEntries"))).extracting(t -> t.get("entryId"), t -> t.get("status"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("k1", "CORRECTED"),
                                 org.assertj.core.groups.Tuple.tuple("k2", "VOIDED"));
        assertThat(list(list(packet.get("timeEntries")).get(1).get("changes"))).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("reason", "charted on the wrong patient")
                                             .containsEntry("actor", "nurse-1"));
        Map<?, ?> statement = (Map<?, ?>) packet.get("statement");
        assertThat(statement.get("family")).isEqualTo("NON_COMPLEX");
        assertThat(((Map<?, ?>) packet.get("integrity")).get("intact")).isEqualTo(true);
        assertThat(list(((Map<?, ?>) packet.get("integrity")).get("streams")))
                .anySatisfy(c -> assertThat((String) c.get("stream")).startsWith("evidence cited"));
        assertThat(list(packet.get("clinicalFacts"))).extracting(f -> f.get("kind"))
                                                      .containsExactly("COMPLEXITY_ATTESTED");

        byte[] pdf = client().get().uri(patients + "/pt-k/audit-packet/2026-09")
                             .accept(MediaType.APPLICATION_PDF).exchange()
                             .expectStatus().isOk().expectHeader().contentType(MediaType.APPLICATION_PDF)
                             .expectBody(byte[].class).returnResult().getResponseBody();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
            assertThat(text).contains("CCM audit packet", "pt-k", "2026-09", (String) statement.get("statementId"),
                                      "E11.9", "ACCEPTED VERBAL consent", "may stop at month end yes",
                                      "Version 1 in force", "VOIDED", "charted on the wrong patient",
                                      "rounded up by mistake", "99490 x1", "INTACT",
                                      "COMPLEXITY_ATTESTED: HIGH");
        }

        client().get().uri(patients + "/nobody/audit-packet/2026-09").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isNotFound();
    }
}
