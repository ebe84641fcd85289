package org.ccmledger.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.ccmledger.billing.api.RecordClaimsBatch;
import org.ccmledger.billing.export.ClaimBatches;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.ccmledger.support.X12Reading;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import reactor.core.publisher.Mono;

/**
 * Claims a clearinghouse accepts: the practice's profile and the patients' identities in a complete 837P, read back
 * by StAEDI against the 837P schema with every cross-field rule checked; an export ledger that sends each claim
 * version once under increasing control numbers, serves a past interchange byte for byte, and holds a replacement
 * until the payer's claim number of the original is recorded.
 */
class ClaimsExportHttpTest extends HttpTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final MediaType X12 = MediaType.parseMediaType("application/edi-x12");
    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    static final String PROFILE = PatientMother.PRACTICE_PROFILE;
    static final String IDENTITY = PatientMother.IDENTITY;

    @Autowired
    MongoDatabase database;
    @Autowired
    ClaimBatches batches;
    @Autowired
    CommandGateway commands;

    private final String practice = "cx-" + System.nanoTime();
    private final String patients = "/api/v1/practices/" + practice + "/patients";

    private EntityExchangeResult<String> x12(String month) {
        return client().get().uri("/api/v1/practices/" + practice + "/claims/" + month).accept(X12).exchange()
                       .expectBody(String.class).returnResult();
    }

    private void profile(String json) {
        client().put().uri("/api/v1/practices/" + practice + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json).exchange().expectStatus().isOk();
    }

    @Test
    @DisplayName("An export whose profile lacks what the 837P needs is refused (422) listing it, and writes nothing")
    void anIncompleteProfileIsRefused() {
        patientWithClosedSeptember(practice, "pt-1");
        profile("{\"placeOfService\":\"11\",\"legalName\":\"Lakeside Primary Care\"}");
        String exports = "practice:" + practice + ":claims";
        long before = streamHead(exports);

        client().get().uri("/api/v1/practices/" + practice + "/claims/2026-09").accept(X12).exchange()
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("PROFILE_INCOMPLETE")
                .jsonPath("$.missing").value(missing -> assertThat((List<Object>) missing).contains(
                        "billingProviderNpi", "taxId", "address", "contact", "taxonomyCode", "payer", "submitter",
                        "receiver", "usage").doesNotContain("legalName"));
        assertThat(streamHead(exports)).isEqualTo(before).isEqualTo(-1);
    }

    @Test
    @DisplayName("A profile an 837P could not carry is refused (400) naming the field and writes nothing; a sole "
                 + "practitioner's SSN is recorded sealed and sent as REF*SY")
    void theProfileAsTheClaimNeedsIt() {
        String stream = "practice:" + practice;
        for (String bad : List.of(PROFILE.replace("627011234", "62701"), PROFILE.replace("207Q00000X", "207Q0000"),
                                  PROFILE.replace("\"usage\":\"T\"", "\"usage\":\"X\""),
                                  PROFILE.replace("\"SUBMIT1\"", "\"submit 1\""),
                                  PROFILE.replace("\"value\":\"123456789\"", "\"value\":\"12345\""))) {
            client().put().uri("/api/v1/practices/" + practice + "/profile").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(bad).exchange().expectStatus().isBadRequest().expectBody()
                    .jsonPath("$.code").isEqualTo("INVALID_FIELD");
        }
        assertThat(streamHead(stream)).isEqualTo(-1);

        identifiedWithClosedSeptember("pt-1");
        // billed under the practice's NPI, a claim must name who furnished the care (2310B): held until named
        profile(PROFILE.replace("{\"1234567893\":{\"givenName\":\"Sam\",\"familyName\":\"Cho\"}}", "{}"));
        client().get().uri("/api/v1/practices/" + practice + "/claims/2026-09").accept(X12).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.detail").value(detail -> assertThat(
                        (String) detail).contains("no name in the profile's practitioners for NPI 1234567893"));
        assertThat(streamHead("practice:" + practice + ":claims")).isEqualTo(-1);
        profile(PROFILE.replace("{\"type\":\"EIN\",\"value\":\"123456789\"}",
                                "{\"type\":\"SSN\",\"value\":\"078051120\"}"));
        assertThat(ledger.events().find(Filters.eq("aggregateIdentifier", stream)).into(new java.util.ArrayList<>()))
                .hasSize(2).last().satisfies(event -> assertThat(event.toJson()).doesNotContain("078051120")
                                                          .contains("ciphertext"));
        client().get().uri("/api/v1/practices/" + practice + "/profile").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain("078051120"));

        X12Reading.Read read = X12Reading.read(x12("2026-09").getResponseBody());
        assertThat(read.problems()).isEmpty();
        assertThat(read.all("REF")).anySatisfy(s -> assertThat(s.elements()).containsExactly("SY", "078051120"));
    }

    @Test
    @DisplayName("The export ledger: a complete 837P, each claim version once, past batches byte for byte, replacements "
                 + "held until the payer's ICN is recorded")
    void theExportLedger() {
        identifiedWithClosedSeptember("pt-1");
        patientWithClosedSeptember(practice, "pt-2"); // no identity: held
        profile(PROFILE);

        EntityExchangeResult<String> first = x12("2026-09");
        assertThat(first.getStatus().value()).as(first.getResponseBody()).isEqualTo(200);
        assertThat(first.getResponseHeaders().getFirst("X-Interchange-Control-Number")).isEqualTo("1");
        assertThat(first.getResponseHeaders().getFirst("X-Claims-Held")).contains("no patient identity on record");
        X12Reading.Read read = X12Reading.read(first.getResponseBody());
        assertThat(read.problems()).isEmpty();
        assertThat(read.segment("ISA").element(13)).isEqualTo("000000001");
        assertThat(read.segment("ISA").element(15)).isEqualTo("T");
        assertThat(read.all("CLM")).singleElement().satisfies(clm -> {
            assertThat(clm.element(1).length()).isLessThanOrEqualTo(20);
            assertThat(clm.element(5)).isEqualTo("11:B:1");
        });
        assertThat(read.all("NM1")).extracting(s -> String.join("*", s.elements()))
                .contains("IL*1*Rivera*Ana****MI*1EG4TE5MK73", "85*2*Lakeside Primary Care*****XX*1245319599",
                          "PR*2*NGS Medicare Part B*****PI*06202", "82*1*Cho*Sam****XX*1234567893");
        assertThat(read.segment("DMG").elements()).containsExactly("D8", "19480314", "F");
        assertThat(read.all("REF")).anySatisfy(s -> assertThat(s.elements()).containsExactly("EI", "123456789"));

        // nothing new: nothing is sent twice
        client().get().uri("/api/v1/practices/" + practice + "/claims/2026-09").accept(X12).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("NO_CLAIMS");
        // the past batch, byte for byte
        String again = client().get().uri("/api/v1/practices/" + practice + "/claims/batches/1").accept(X12)
                               .exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                               .getResponseBody();
        assertThat(again).isEqualTo(first.getResponseBody());

        // a late entry adjusts the month: the replacement waits for the payer's claim number of the original
        post(patients + "/pt-1/care-minutes", PatientMother.careMinutes("pt-1-late", "CLINICAL_STAFF",
                                                                         "2026-09-20T14:00:00Z", 20))
                .expectStatus().isCreated();
        String statementId = await().atMost(DEADLINE).until(() -> adjustedStatement("pt-1"),
                                                             java.util.Objects::nonNull);
        client().get().uri("/api/v1/practices/" + practice + "/claims/2026-09").accept(X12).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.detail").value(detail -> assertThat(
                        (String) detail).contains("no payer claim number recorded for " + statementId));
        client().post().uri("/api/v1/practices/" + practice + "/claims/" + statementId + "-nope/payer-reference")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"icn\":\"22612345678901\"}").exchange()
                .expectStatus().isNotFound();
        client().post().uri("/api/v1/practices/" + practice + "/claims/" + statementId + "/payer-reference")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"icn\":\"22612345678901\"}").exchange()
                .expectStatus().isCreated();

        EntityExchangeResult<String> second = x12("2026-09");
        assertThat(second.getStatus().value()).as(second.getResponseBody()).isEqualTo(200);
        assertThat(second.getResponseHeaders().getFirst("X-Interchange-Control-Number")).isEqualTo("2");
        X12Reading.Read replacement = X12Reading.read(second.getResponseBody());
        assertThat(replacement.problems()).isEmpty();
        assertThat(replacement.segment("ISA").element(13)).isEqualTo("000000002");
        assertThat(replacement.segment("CLM").element(5)).isEqualTo("11:B:7");
        assertThat(replacement.segment("CLM").element(1)).isNotEqualTo(read.segment("CLM").element(1));
        assertThat(replacement.all("REF")).anySatisfy(s -> assertThat(s.elements())
                .containsExactly("F8", "22612345678901"));

        Map<String, Object> batches = client().get().uri("/api/v1/practices/" + practice + "/claims/batches")
                                              .exchange().expectStatus().isOk().expectBody(JSON).returnResult()
                                              .getResponseBody();
        assertThat((List<?>) batches.get("batches")).hasSize(2);

        // a kept interchange changed behind the service's back is not served as the one sent
        database.getCollection("claim_batches").updateOne(Filters.regex("_id", "^" + practice + ":1:"),
                                                          Updates.set("interchange", first.getResponseBody()
                                                                  .replace("Rivera", "Rivers")));
        client().get().uri("/api/v1/practices/" + practice + "/claims/batches/1").accept(X12).exchange()
                .expectStatus().isEqualTo(503).expectBody().jsonPath("$.code").isEqualTo("BATCH_DAMAGED");
    }

    /** A patient whose September is closed, with an identity on record (once the patients read model knows them). */
    private void identifiedWithClosedSeptember(String patientId) {
        patientWithClosedSeptember(practice, patientId);
        await().atMost(DEADLINE).untilAsserted(() -> client().put().uri(patients + "/" + patientId + "/identity")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(IDENTITY).exchange().expectStatus().isOk());
    }

    /** Records the prepared batch as the X12 endpoint does, another export having perhaps taken its number first. */
    private void record(ClaimBatches.Prepared prepared) {
        batches.record(practice, prepared, command -> Mono.fromCallable(() -> commands.sendAndWait(command))).block();
    }

    private boolean kept(ClaimBatches.Prepared prepared) {
        return database.getCollection("claim_batches").find(Filters.eq(
                "_id", practice + ":" + prepared.command().controlNumber() + ":" + prepared.command().sha256()))
                       .first() != null;
    }

    @Test
    @DisplayName("Two exports racing for one control number: the second is refused (409) and its interchange is not "
                 + "kept, unless its bytes are the ones recorded; the same after any failed record")
    void aLostRaceKeepsNoCopyOfItsInterchange() {
        identifiedWithClosedSeptember("pt-1");
        profile(PROFILE);

        ClaimBatches.Prepared late = batches.next(practice, YearMonth.of(2026, 9));
        assertThat(kept(late)).as("kept before it is recorded").isTrue();
        RecordClaimsBatch command = late.command();
        // another export takes number 1 with other bytes
        commands.sendAndWait(new RecordClaimsBatch(command.exports(), 1, command.preparedAt(), command.month(),
                                                   command.claims(), "0".repeat(64), 10));
        assertThatThrownBy(() -> record(late)).isInstanceOfSatisfying(
                Refusal.class, refused -> assertThat(refused.code()).isEqualTo("CONCURRENT_EXPORT"));
        assertThat(kept(late)).as("the interchange that never went out, with its patient's identity").isFalse();

        // the same bytes as the batch recorded under the number: the copy is that batch's, and stays
        identifiedWithClosedSeptember("pt-2");
        ClaimBatches.Prepared twin = batches.next(practice, YearMonth.of(2026, 9));
        RecordClaimsBatch same = twin.command();
        assertThat(same.controlNumber()).isEqualTo(2);
        commands.sendAndWait(new RecordClaimsBatch(same.exports(), 2, same.preparedAt(), same.month(), same.claims(),
                                                   same.sha256(), same.bytes()));
        assertThatThrownBy(() -> record(twin)).isInstanceOf(Refusal.class);
        assertThat(kept(twin)).isTrue();
        assertThat(client().get().uri("/api/v1/practices/" + practice + "/claims/batches/2").accept(X12).exchange()
                           .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .isEqualTo(twin.interchange());

        // two instances racing fail the loser's append on the stream's key instead: any failed record, same rule
        identifiedWithClosedSeptember("pt-3");
        ClaimBatches.Prepared third = batches.next(practice, YearMonth.of(2026, 9));
        RecordClaimsBatch taken = third.command();
        commands.sendAndWait(new RecordClaimsBatch(taken.exports(), 3, taken.preparedAt(), taken.month(),
                                                   taken.claims(), "1".repeat(64), 10));
        IllegalStateException duplicateKey = new IllegalStateException("the stream's next key is taken");
        assertThatThrownBy(() -> batches.record(practice, third, sent -> Mono.error(duplicateKey)).block())
                .isSameAs(duplicateKey);
        assertThat(kept(third)).isFalse();
    }

    private long drafts() {
        return database.getCollection("claim_batch_drafts").countDocuments(Filters.eq("practiceId", practice));
    }

    @Test
    @DisplayName("An export that failed for another reason keeps its interchange as a draft; an hour on, with no batch "
                 + "under its number, the sweep drops it, and a batch prepared that long ago is refused. A recorded "
                 + "export's copy is never swept")
    void draftsOfFailedExportsAreSweptAndRecordedOnesSettled() {
        identifiedWithClosedSeptember("pt-1");
        profile(PROFILE);

        ClaimBatches.Prepared failed = batches.next(practice, YearMonth.of(2026, 9));
        IllegalStateException unreachable = new IllegalStateException("the store is unreachable");
        assertThatThrownBy(() -> batches.record(practice, failed, sent -> Mono.error(unreachable)).block())
                .isSameAs(unreachable);
        assertThat(kept(failed)).as("its record may still land: kept").isTrue();
        assertThat(drafts()).isEqualTo(1);
        batches.sweepDrafts(Instant.now().minus(Duration.ofHours(1)));
        assertThat(kept(failed)).as("prepared less than an hour ago").isTrue();
        batches.sweepDrafts(Instant.now().plusSeconds(1));
        assertThat(kept(failed)).as("no batch under its number: it never went out").isFalse();
        assertThat(drafts()).isZero();

        // what the sweep assumes: a batch prepared a quarter of an hour ago or more is never recorded
        RecordClaimsBatch stale = failed.command();
        assertThatThrownBy(() -> commands.sendAndWait(new RecordClaimsBatch(
                stale.exports(), stale.controlNumber(), Instant.now().minus(Duration.ofMinutes(16)), stale.month(),
                stale.claims(), stale.sha256(), stale.bytes())))
                .isInstanceOfSatisfying(Refusal.class, refused -> assertThat(refused.code())
                        .isEqualTo("EXPORT_EXPIRED"));

        // recorded, its draft not settled (the node stopped in between): the sweep keeps the copy
        ClaimBatches.Prepared recorded = batches.next(practice, YearMonth.of(2026, 9));
        commands.sendAndWait(recorded.command());
        assertThat(drafts()).isEqualTo(1);
        batches.sweepDrafts(Instant.now().plusSeconds(1));
        assertThat(drafts()).isZero();
        assertThat(client().get().uri("/api/v1/practices/" + practice + "/claims/batches/1").accept(X12).exchange()
                           .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .as("a sweep never touches a recorded batch's copy").isEqualTo(recorded.interchange());

        identifiedWithClosedSeptember("pt-2");
        EntityExchangeResult<String> exported = x12("2026-09");
        assertThat(exported.getStatus().value()).as(exported.getResponseBody()).isEqualTo(200);
        assertThat(drafts()).as("recorded through the API: settled at once").isZero();
    }

    @Test
    @DisplayName("FHIR: created at export, a replaced claim cancelled, a contained Medicare Part B coverage with the MBI")
    void fhirClaims() throws Exception {
        identifiedWithClosedSeptember("pt-1");
        profile(PROFILE);
        post(patients + "/pt-1/care-minutes", PatientMother.careMinutes("pt-1-late", "CLINICAL_STAFF",
                                                                         "2026-09-20T14:00:00Z", 20))
                .expectStatus().isCreated();
        await().atMost(DEADLINE).until(() -> adjustedStatement("pt-1"), java.util.Objects::nonNull);
        Instant before = Instant.now().minusSeconds(5);

        String fhir = client().get().uri("/api/v1/practices/" + practice + "/claims/2026-09")
                              .accept(MediaType.parseMediaType("application/fhir+json")).exchange()
                              .expectStatus().isOk()
                              // streamed a batch of patients at a time: no length known before the body
                              .expectHeader().doesNotExist("Content-Length")
                              .expectBody(String.class).returnResult().getResponseBody();

        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(fhir).get("entry"))
                .extracting(e -> e.get("resource").get("status").asText()).containsExactly("cancelled", "active");
        assertThat(fhir).contains("\"status\": \"cancelled\"").contains("\"status\": \"active\"")
                        .contains("\"resourceType\": \"Coverage\"").contains("\"subscriberId\": \"1EG4TE5MK73\"")
                        .contains("\"system\": \"http://hl7.org/fhir/sid/us-mbi\"")
                        .contains("\"reference\": \"#coverage\"").contains("NGS Medicare Part B");
        String created = fhir.substring(fhir.indexOf("\"created\": \"") + 12);
        assertThat(Instant.parse(created.substring(0, created.indexOf('"')))).isAfter(before);
    }

    /** The statement id of the patient's September once an adjustment stands on it, else {@code null}. */
    private String adjustedStatement(String patient) {
        Map<String, Object> view = client().get().uri(patients + "/" + patient + "/billing/2026-09").exchange()
                                           .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        return "ADJUSTED".equals(view.get("status")) ? (String) view.get("statementId") : null;
    }
}
