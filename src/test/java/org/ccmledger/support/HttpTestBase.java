package org.ccmledger.support;

import java.nio.file.Path;
import java.util.Set;

import org.ccmledger.ledger.LedgerCollections;
import org.ccmledger.platform.security.Role;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.ClientRequest;

/**
 * HTTP tests against the whole service on a random port, on the embedded in-memory backend, with BlockHound watching
 * every non-blocking thread: a blocking call on the Netty event loop (the MongoDB driver, Axon's command bus) fails
 * the request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = {"ccm.mongo.embedded.backend=memory",
                              "ccm.ledger.snapshot-threshold=5",
                              // a Qualifying APM Participant, priced with the QP conversion factor (R15)
                              "ccm.billing.qualifying-participants=" + PatientMother.QP_NPI,
                              // digests only when a test asks for one; the signing key is generated under target/
                              "ccm.integrity.digest-interval=0",
                              "ccm.mongo.embedded.data-dir=target/http-test-data"})
public abstract class HttpTestBase {

    static {
        // already installed when the test run started (BlockingChecksSession); here for a runner without the platform's
        // session listeners
        BlockingChecks.install();
    }

    @LocalServerPort
    protected int port;

    /** The user the tests act as unless they say otherwise; the care-minute bodies of PatientMother name them. */
    protected static final String DEFAULT_USER = "nurse-1";

    @Autowired
    protected LedgerCollections ledger;

    @Value("${ccm.mongo.embedded.data-dir}")
    private Path dataDirectory;

    private TestTokens tokens;

    /** The service's data directory, where the development issuer's key is. */
    protected Path dataDirectory() {
        return dataDirectory;
    }

    /** Tokens of the development issuer this service trusts. */
    protected TestTokens tokens() {
        if (tokens == null) {
            tokens = new TestTokens(dataDirectory);
        }
        return tokens;
    }

    /**
     * A client acting as {@link #defaultUser()} with every role, for the practice each request's path names: the
     * tests that are not about authorization exercise the API as someone allowed to do everything there.
     */
    protected WebTestClient client() {
        return clientAs(defaultUser(), TestTokens.ALL_ROLES);
    }

    /** Who {@link #client()} acts as: {@value #DEFAULT_USER} unless a test class says otherwise. */
    protected String defaultUser() {
        return DEFAULT_USER;
    }

    /** A client acting as {@code user} with every role, for the practice each request's path names. */
    protected WebTestClient clientAs(String user) {
        return clientAs(user, TestTokens.ALL_ROLES);
    }

    /** A client acting as {@code user} with {@code roles}, for the practice each request's path names. */
    protected WebTestClient clientAs(String user, Set<Role> roles) {
        return anonymous().mutate().filter((request, next) -> next.exchange(
                ClientRequest.from(request).headers(h -> {
                    if (!h.containsHeader(HttpHeaders.AUTHORIZATION)) {
                        h.setBearerAuth(tokens().forPath(user, roles, request.url()));
                    }
                }).build())).build();
    }

    /** A client that presents no token unless a request sets one. */
    protected WebTestClient anonymous() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                            // what the tests observe, for ApiContractCoverageTest
                            .filter(ExchangeRecorder.filter())
                            .responseTimeout(java.time.Duration.ofSeconds(30))
                            // whole metrics pages and exports: more than the 256 KB a client buffers by default
                            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                            .build();
    }

    protected WebTestClient.ResponseSpec post(String path, String json) {
        return client().post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    /** A POST acting as {@code user} with every role. */
    protected WebTestClient.ResponseSpec postAs(String user, String path, String json) {
        return clientAs(user).post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    /** Enrolls a patient and records their consent (R8), so that care time may be logged. */
    protected void enrollWithConsent(String practiceId, String patientId) {
        String patients = "/api/v1/practices/" + practiceId + "/patients";
        post(patients, PatientMother.enrollment(patientId)).expectStatus().isCreated();
        post(patients + "/" + patientId + "/consents", PatientMother.consent()).expectStatus().isCreated();
    }

    /**
     * A patient billable in September 2026 (consent, care plan, initiating visit, 30 minutes) whose practice's
     * September is then closed: a statement, claims and an audit packet exist.
     */
    protected void patientWithClosedSeptember(String practiceId, String patientId) {
        String patient = "/api/v1/practices/" + practiceId + "/patients/" + patientId;
        enrollWithConsent(practiceId, patientId);
        String plan = PatientMother.carePlan("2026-01-02T15:00:00Z", "2026-01-02T16:00:00Z");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(
                () -> post(patient + "/care-plan/revisions", plan).expectStatus().isCreated());
        post(patient + "/initiating-visits", "{\"visitDate\":\"2026-09-02\",\"visitType\":\"EM\",\"emLevel\":4,"
                + "\"practitionerNpi\":\"" + PatientMother.NPI + "\",\"comprehensiveCarePlanning\":false}")
                .expectStatus().isCreated();
        post(patient + "/care-minutes", PatientMother.careMinutes(patientId + "-e1", "CLINICAL_STAFF",
                                                                  "2026-09-10T14:00:00Z", 30))
                .expectStatus().isCreated();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(
                () -> client().get().uri(patient + "/billing/2026-09").exchange().expectStatus().isOk()
                              .expectBody().jsonPath("$.family").isEqualTo("NON_COMPLEX"));
        client().post().uri("/api/v1/practices/" + practiceId + "/billing/2026-09/close").exchange()
                .expectStatus().isOk();
    }

    /**
     * The sequence number of a stream's last event (its head, read by key), or -1 for a stream with none: a refused
     * request leaves the streams it targets as they were, whatever background work appends elsewhere.
     */
    protected long streamHead(String streamKey) {
        org.bson.Document head = ledger.streamHeads().find(com.mongodb.client.model.Filters.eq("_id", streamKey))
                                       .first();
        return head == null ? -1 : ((Number) head.get("sequence")).longValue();
    }

    /** Events in the ledger (tombstones of failed commits are not events). */
    protected long eventsInLedger() {
        return ledger.events().countDocuments(com.mongodb.client.model.Filters.exists("tombstone", false));
    }
}
