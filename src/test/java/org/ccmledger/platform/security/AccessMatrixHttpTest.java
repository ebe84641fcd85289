package org.ccmledger.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import org.ccmledger.platform.security.AccessPolicy.Rule;
import org.ccmledger.support.CmsFiles;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.ccmledger.support.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

/**
 * The endpoint × role matrix, request by request: for every endpoint of {@link AccessPolicy} and every role, a token
 * with only that role gets 2xx where the policy admits the role and 403 where it does not; no token gets 401; a token
 * for another practice gets 403 on every practice endpoint. A refused request writes nothing. Every endpoint the
 * service maps is in the policy, and {@code docs/security.md} shows the same matrix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixHttpTest extends HttpTestBase {

    private static final String PRACTICE = "mx-" + System.nanoTime();
    private static final String PATIENTS = "/api/v1/practices/" + PRACTICE + "/patients";
    private static final String PATIENT = PATIENTS + "/mx-1";

    /** A request the matrix sends: what the endpoint needs to succeed for an admitted role. */
    record Probe(HttpMethod method, String path, String body, MediaType accept, MediaType contentType) {
        Probe(HttpMethod method, String path, String body, MediaType accept) {
            this(method, path, body, accept, MediaType.APPLICATION_JSON);
        }
    }

    private final AtomicInteger fresh = new AtomicInteger();
    private final Map<String, Function<Role, Probe>> probes = new LinkedHashMap<>();
    private String digest;
    private String sentClaim;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @BeforeAll
    void aPatientWithAClosedMonth() {
        patientWithClosedSeptember(PRACTICE, "mx-1");
        String location = client().post().uri("/api/v1/ledger/digests").exchange().expectStatus().isCreated()
                                  .returnResult(String.class).getResponseHeaders().getLocation().toString();
        digest = location.substring(location.lastIndexOf('/') + 1);
        // a complete profile, an identity and one interchange out, for the export ledger's endpoints
        client().put().uri(practice() + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PatientMother.PRACTICE_PROFILE).exchange().expectStatus().isOk();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(
                () -> client().put().uri(PATIENT + "/identity").contentType(MediaType.APPLICATION_JSON)
                              .bodyValue(PatientMother.IDENTITY).exchange()
                              .expectStatus().isOk());
        client().get().uri(practice() + "/claims/2026-09").accept(MediaType.parseMediaType("application/edi-x12"))
                .exchange().expectStatus().isOk();
        sentClaim = (String) ((Map<?, ?>) ((java.util.List<?>) ((Map<?, ?>) ((java.util.List<?>) client().get()
                .uri(practice() + "/claims/batches").exchange().expectBody(Map.class).returnResult()
                .getResponseBody().get("batches")).get(0)).get("claims")).get(0)).get("claimId");
        defineProbes();
    }

    private void defineProbes() {
        String p = "/api/v1/practices/{practiceId}";
        String pt = p + "/patients/{patientId}";
        probe(HttpMethod.PUT, p + "/profile", role -> new Probe(HttpMethod.PUT, practice() + "/profile",
                                                                "{\"placeOfService\":\"11\"}",
                                                                MediaType.APPLICATION_JSON));
        probe(HttpMethod.GET, p + "/profile", role -> getProbe(practice() + "/profile"));
        probe(HttpMethod.PUT, p + "/staff/{userId}", role -> new Probe(HttpMethod.PUT, practice() + "/staff/" + freshId(),
                                                                       "{\"name\":\"Nora Diaz\",\"credential\":\"RN\"}",
                                                                       MediaType.APPLICATION_JSON));
        probe(HttpMethod.GET, p + "/staff", role -> getProbe(practice() + "/staff"));
        probe(HttpMethod.GET, p + "/audit/risks/{month}", role -> getProbe(practice() + "/audit/risks/2026-09"));
        probe(HttpMethod.POST, p + "/audit/risks/{month}/reviews", role -> postProbe(
                practice() + "/audit/risks/2026-09/reviews",
                "{\"patientId\":\"" + PATIENT.substring(PATIENT.lastIndexOf('/') + 1) + "\",\"risk\":\"LATE_ENTRY\","
                + "\"decision\":\"ACCEPTED\",\"note\":\"reviewed with the nurse\"}"));
        probe(HttpMethod.POST, p + "/patients", role -> postProbe(PATIENTS, PatientMother.enrollment(freshId())));
        probe(HttpMethod.POST, p + "/import", role -> new Probe(
                HttpMethod.POST, practice() + "/import", PatientMother.importLine(
                        freshId(), "enrollment", freshId(), "2024-01-05T10:00:00Z", PatientMother.enrollment(null)),
                MediaType.APPLICATION_NDJSON, MediaType.APPLICATION_NDJSON));
        String identity = PatientMother.IDENTITY;
        probe(HttpMethod.PUT, pt + "/identity", role -> new Probe(HttpMethod.PUT, PATIENT + "/identity", identity,
                                                                  MediaType.APPLICATION_JSON));
        probe(HttpMethod.GET, pt + "/identity", role -> getProbe(PATIENT + "/identity"));
        probe(HttpMethod.POST, pt + "/identity/erasure", role -> postProbe(
                (role == null ? PATIENT : freshPatientWithIdentity()) + "/identity/erasure",
                "{\"basis\":\"LEGAL_ORDER\",\"reason\":\"order 42\"}"));
        probe(HttpMethod.GET, p + "/claims/batches", role -> getProbe(practice() + "/claims/batches"));
        probe(HttpMethod.GET, p + "/claims/batches/{controlNumber}", role -> new Probe(
                HttpMethod.GET, practice() + "/claims/batches/1", null, MediaType.parseMediaType("application/edi-x12")));
        probe(HttpMethod.POST, p + "/claims/{claimId}/payer-reference", role -> postProbe(
                practice() + "/claims/" + sentClaim + "/payer-reference", "{\"icn\":\"22612345678901\"}"));
        probe(HttpMethod.GET, pt, role -> getProbe(PATIENT));
        probe(HttpMethod.POST, pt + "/billing-practitioner", role -> postProbe(patientFor(role) + "/billing-practitioner",
                "{\"billingPractitionerNpi\":\"1245319599\",\"effectiveAt\":\"2026-11-01T05:00:00Z\"}"));
        probe(HttpMethod.POST, pt + "/death", role -> postProbe(patientFor(role) + "/death", "{\"dateOfDeath\":\"2026-11-02\"}"));
        probe(HttpMethod.POST, pt + "/disenrollment", role -> postProbe(patientFor(role) + "/disenrollment",
                "{\"effectiveAt\":\"2026-11-01T05:00:00Z\",\"reason\":\"moved\"}"));
        probe(HttpMethod.POST, pt + "/initiating-visits", role -> postProbe(patientFor(role) + "/initiating-visits",
                                                                       visit("2026-10-02")));
        probe(HttpMethod.POST, pt + "/complexity", role -> postProbe(PATIENT + "/complexity",
                "{\"month\":\"2026-10\",\"medicalDecisionMaking\":\"HIGH\"}"));
        probe(HttpMethod.POST, pt + "/concurrent-services", role -> postProbe(PATIENT + "/concurrent-services",
                "{\"code\":\"99495\",\"month\":\"2026-10\",\"practitionerNpi\":\"" + PatientMother.NPI + "\"}"));
        probe(HttpMethod.POST, pt + "/inpatient-stays", role -> postProbe(PATIENT + "/inpatient-stays",
                "{\"admittedOn\":\"2026-10-03\",\"dischargedOn\":\"2026-10-06\"}"));
        probe(HttpMethod.POST, pt + "/consents", role -> postProbe((role == null ? PATIENT : freshPatientWithoutConsent()) + "/consents",
                                                              PatientMother.consent()));
        probe(HttpMethod.POST, pt + "/consents/revocation", role -> postProbe(patientFor(role) + "/consents/revocation",
                "{\"revokedAt\":\"2026-11-10T14:00:00Z\",\"reason\":\"asked to stop\"}"));
        probe(HttpMethod.GET, pt + "/consents", role -> getProbe(PATIENT + "/consents"));
        probe(HttpMethod.POST, pt + "/care-plan/revisions", role -> postProbe(PATIENT + "/care-plan/revisions",
                PatientMother.carePlan("2026-10-0" + (1 + fresh.incrementAndGet() % 9) + "T15:00:00Z",
                                       "2026-10-20T16:00:00Z").replace("Type 2 diabetes", "Type 2 diabetes "
                                                                         + fresh.get())));
        probe(HttpMethod.GET, pt + "/care-plan", role -> getProbe(PATIENT + "/care-plan"));
        probe(HttpMethod.GET, pt + "/care-plan/history", role -> getProbe(PATIENT + "/care-plan/history"));
        probe(HttpMethod.POST, pt + "/care-minutes", role -> postProbe(PATIENT + "/care-minutes", ownMinutes(role)));
        probe(HttpMethod.POST, pt + "/care-minutes/{entryId}/correction", role -> postProbe(
                PATIENT + "/care-minutes/" + ownEntry(role) + "/correction", "{\"minutes\":7,\"reason\":\"typo\"}"));
        probe(HttpMethod.POST, pt + "/care-minutes/{entryId}/void", role -> postProbe(
                PATIENT + "/care-minutes/" + ownEntry(role) + "/void", "{\"reason\":\"wrong patient\"}"));
        probe(HttpMethod.GET, pt + "/minutes/{month}", role -> getProbe(PATIENT + "/minutes/2026-09"));
        probe(HttpMethod.GET, pt + "/billing/{month}", role -> getProbe(PATIENT + "/billing/2026-09"));
        probe(HttpMethod.GET, pt + "/billing/{month}/verification",
              role -> getProbe(PATIENT + "/billing/2026-09/verification"));
        probe(HttpMethod.GET, p + "/billing/{month}", role -> getProbe(practice() + "/billing/2026-09"));
        probe(HttpMethod.POST, p + "/billing/{month}/close", role -> postProbe(practice() + "/billing/2026-09/close", ""));
        probe(HttpMethod.GET, p + "/billing/{month}/verification",
              role -> getProbe(practice() + "/billing/2026-09/verification"));
        probe(HttpMethod.GET, p + "/claims/{month}", role -> new Probe(HttpMethod.GET, practice() + "/claims/2026-09",
                                                                      null, MediaType.parseMediaType("text/csv")));
        probe(HttpMethod.GET, pt + "/history", role -> getProbe(PATIENT + "/history?asOf=" + java.time.Instant.now()));
        probe(HttpMethod.GET, pt + "/timeline", role -> getProbe(PATIENT + "/timeline"));
        probe(HttpMethod.GET, pt + "/audit-packet/{month}", role -> getProbe(PATIENT + "/audit-packet/2026-09"));
        probe(HttpMethod.GET, pt + "/verification", role -> getProbe(PATIENT + "/verification?months=2026-09"));
        probe(HttpMethod.GET, p + "/audit/events", role -> getProbe(practice() + "/audit/events?limit=10"));
        probe(HttpMethod.GET, p + "/audit/access-log", role -> getProbe(practice() + "/audit/access-log?limit=10"));
        probe(HttpMethod.GET, p + "/audit/break-glass", role -> getProbe(practice() + "/audit/break-glass"));
        probe(HttpMethod.POST, p + "/audit/break-glass/{accessIndex}/review", role -> postProbe(
                practice() + "/audit/break-glass/" + (role == null ? 0 : freshEmergencyRead()) + "/review",
                "{\"decision\":\"APPROPRIATE\",\"note\":\"confirmed with the attending\"}"));
        probe(HttpMethod.GET, "/api/v1/ledger/verification", role -> getProbe("/api/v1/ledger/verification"));
        probe(HttpMethod.POST, "/api/v1/ledger/digests", role -> postProbe("/api/v1/ledger/digests", ""));
        probe(HttpMethod.GET, "/api/v1/ledger/digests", role -> getProbe("/api/v1/ledger/digests"));
        probe(HttpMethod.GET, "/api/v1/ledger/digests/{sequence}", role -> getProbe("/api/v1/ledger/digests/" + digest));
        probe(HttpMethod.GET, "/api/v1/ledger/digests/{sequence}/verification",
              role -> getProbe("/api/v1/ledger/digests/" + digest + "/verification"));
        String reference = "/api/v1/reference";
        // an edition far in the future, so that what the matrix loads decides nothing the other tests bill
        probe(HttpMethod.POST, reference + "/icd10cm/editions", role -> postProbe(
                reference + "/icd10cm/editions?edition=FY2099-m" + fresh.incrementAndGet()
                + "&effectiveFrom=2098-10-01&effectiveTo=2099-09-30", "A000    Cholera\r\n"));
        probe(HttpMethod.GET, reference + "/icd10cm/editions", role -> getProbe(reference + "/icd10cm/editions"));
        probe(HttpMethod.GET, reference + "/icd10cm/codes/{code}",
              role -> getProbe(reference + "/icd10cm/codes/E11.9?on=2026-05-01"));
        probe(HttpMethod.POST, reference + "/fee-schedules/{year}/imports", role -> postProbe(
                reference + "/fee-schedules/2099/imports?cf=33.4009", CmsFiles.relativeValueFile()));
        probe(HttpMethod.GET, reference + "/fee-schedules/{year}", role -> getProbe(reference + "/fee-schedules/2026"));
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersEachRoleAsThePolicySays() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Rule rule : AccessPolicy.RULES) {
            Function<Role, Probe> probe = probes.get(key(rule.method(), rule.pattern()));
            for (Role role : Role.values()) {
                boolean admitted = rule.roles().contains(role);
                tests.add(DynamicTest.dynamicTest(key(rule.method(), rule.pattern()) + " as " + role.claimValue()
                                                          + (admitted ? " → 2xx" : " → 403"), () -> {
                    Probe request = probe.apply(admitted ? role : null);
                    long before = eventsInLedger();
                    EntityExchangeResult<byte[]> result = send(clientAs(user(role), EnumSet.of(role)), request);
                    if (admitted) {
                        assertThat(result.getStatus().is2xxSuccessful())
                                .as("%s %s as %s answered %s: %s", request.method(), request.path(), role,
                                    result.getStatus(), body(result)).isTrue();
                    } else {
                        assertThat(result.getStatus().value()).as("%s as %s", request.path(), role).isEqualTo(403);
                        assertThat(result.getResponseHeaders().getContentType())
                                .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                        assertThat(eventsInLedger()).as("a refused request writes nothing").isEqualTo(before);
                    }
                }));
            }
            tests.add(DynamicTest.dynamicTest(key(rule.method(), rule.pattern()) + " without a token → 401", () -> {
                Probe request = probe.apply(null);
                long before = eventsInLedger();
                EntityExchangeResult<byte[]> result = send(anonymous(), request);
                assertThat(result.getStatus().value()).isEqualTo(401);
                assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
                assertThat(eventsInLedger()).isEqualTo(before);
            }));
            if (rule.pattern().contains("{practiceId}")) {
                tests.add(DynamicTest.dynamicTest(key(rule.method(), rule.pattern())
                                                          + " with every role but for another practice → 403", () -> {
                    Probe request = probe.apply(null);
                    long before = eventsInLedger();
                    String otherPractice = tokens().mint("u-elsewhere", TestTokens.ALL_ROLES, "mx-other");
                    EntityExchangeResult<byte[]> result = send(anonymous().mutate().defaultHeader(
                            HttpHeaders.AUTHORIZATION, "Bearer " + otherPractice).build(), request);
                    assertThat(result.getStatus().value()).isEqualTo(403);
                    assertThat(eventsInLedger()).isEqualTo(before);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void theMatrixCoversEveryEndpointTheServiceMaps() {
        Set<String> mapped = new HashSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (var pattern : info.getPatternsCondition().getPatterns()) {
                for (var method : info.getMethodsCondition().getMethods()) {
                    mapped.add(method.name() + " " + pattern.getPatternString());
                }
            }
        }
        Set<String> inPolicy = new HashSet<>();
        AccessPolicy.RULES.forEach(rule -> inPolicy.add(key(rule.method(), rule.pattern())));
        Set<String> api = new HashSet<>(mapped);
        api.removeIf(endpoint -> !endpoint.contains(" /api/"));
        api.remove("GET /api/v1/ledger/public-key");
        assertThat(inPolicy).isEqualTo(api);
        assertThat(probes.keySet()).isEqualTo(inPolicy);
        assertThat(mapped).allMatch(endpoint -> endpoint.contains(" /api/") || endpoint.contains(" /v3/api-docs")
                                                        || endpoint.contains(" /swagger-ui")
                                                        || endpoint.contains(" /console"),
                                    "outside the API only the public API description and the console are mapped");
    }

    @Test
    void theDocumentedMatrixIsThePolicy() throws Exception {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("docs/security.md"));
        assertThat(docs).contains(MatrixTable.render());
    }

    @Test
    void thePublicEndpointsNeedNoToken() {
        anonymous().get().uri("/actuator/health").exchange().expectStatus().isOk();
        anonymous().get().uri("/api/v1/ledger/public-key").accept(MediaType.APPLICATION_JSON).exchange()
                   .expectStatus().isOk();
        anonymous().get().uri("/actuator/env").exchange().expectStatus().isUnauthorized();
        clientAs("u-admin").get().uri("/actuator/env").exchange().expectStatus().isForbidden();
    }

    private void probe(HttpMethod method, String pattern, Function<Role, Probe> factory) {
        probes.put(key(method, pattern), factory);
    }

    private static String key(HttpMethod method, String pattern) {
        return method.name() + " " + pattern;
    }

    private static String user(Role role) {
        return "u-" + role.claimValue();
    }

    private static String practice() {
        return "/api/v1/practices/" + PRACTICE;
    }

    /**
     * The access index of a new emergency read of the matrix's patient by a care-staff user (the practice's profile
     * is set to allow care staff to break the glass), once the access log lists it.
     */
    private long freshEmergencyRead() {
        client().put().uri(practice() + "/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"placeOfService\":\"11\",\"breakGlassRoles\":[\"care-staff\"]}").exchange()
                .expectStatus().isOk();
        String token = tokens().mint("mx-bg-nurse", EnumSet.of(Role.CARE_STAFF), PRACTICE);
        anonymous().get().uri(PATIENT + "/history").headers(h -> h.setBearerAuth(token))
                   .header("X-Break-Glass", "Matrix probe: emergency read to review").exchange()
                   .expectStatus().isOk();
        long[] index = {-1};
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            Map<?, ?> page = client().get().uri(practice() + "/audit/break-glass").exchange().expectBody(Map.class)
                                     .returnResult().getResponseBody();
            java.util.List<?> reads = (java.util.List<?>) page.get("reads");
            reads.forEach(read -> index[0] = Math.max(index[0], ((Number) ((Map<?, ?>) read).get("accessIndex"))
                    .longValue()));
            return index[0] >= 0;
        });
        return index[0];
    }

    private static Probe getProbe(String path) {
        return new Probe(HttpMethod.GET, path, null, MediaType.APPLICATION_JSON);
    }

    private static Probe postProbe(String path, String body) {
        return new Probe(HttpMethod.POST, path, body, MediaType.APPLICATION_JSON);
    }

    private EntityExchangeResult<byte[]> send(WebTestClient client, Probe probe) {
        WebTestClient.RequestBodySpec spec = client.method(probe.method()).uri(probe.path()).accept(probe.accept());
        WebTestClient.RequestHeadersSpec<?> ready = probe.body() == null ? spec
                : spec.contentType(probe.contentType()).bodyValue(probe.body());
        return ready.exchange().expectBody().returnResult();
    }

    private static String body(EntityExchangeResult<byte[]> result) {
        return result.getResponseBody() == null ? "" : new String(result.getResponseBody());
    }

    private String freshId() {
        return "mx-f" + fresh.incrementAndGet();
    }

    /**
     * For an admitted role, a newly enrolled patient with consent, since an admitted probe changes what it reaches;
     * for a refused one the set-up patient (the request never gets that far).
     */
    private String patientFor(Role role) {
        return role == null ? PATIENT : freshPatient();
    }

    /** A newly enrolled patient whose identity was recorded with the enrollment. */
    private String freshPatientWithIdentity() {
        String id = freshId();
        post(PATIENTS, PatientMother.enrollment(id).replace("\"chronicConditions\"", "\"identity\":"
                + PatientMother.IDENTITY + ",\"chronicConditions\""))
                .expectStatus().isCreated();
        return PATIENTS + "/" + id;
    }

    /** A newly enrolled patient with consent. */
    private String freshPatient() {
        String patient = freshPatientWithoutConsent();
        post(patient + "/consents", PatientMother.consent()).expectStatus().isCreated();
        return patient;
    }

    private String freshPatientWithoutConsent() {
        String id = freshId();
        post(PATIENTS, PatientMother.enrollment(id)).expectStatus().isCreated();
        return PATIENTS + "/" + id;
    }

    /** A care-minute body of the role's own time: no performer id, so the token's user is the performer. */
    private String ownMinutes(Role role) {
        String performerRole = role == Role.BILLING_PRACTITIONER ? "BILLING_PRACTITIONER" : "CLINICAL_STAFF";
        int n = fresh.incrementAndGet();
        return "{\"performer\":{\"role\":\"" + performerRole + "\"},\"startedAt\":\"2026-10-"
                + String.format("%02d", 1 + n % 28) + "T" + String.format("%02d", n % 24)
                + ":00:00Z\",\"minutes\":3,\"activity\":\"CARE_COORDINATION\"}";
    }

    /** An entry the role's user logged (for an admitted role), or the set-up entry (the request never gets far). */
    private String ownEntry(Role role) {
        if (role == null) {
            return "mx-1-e1";
        }
        String entryId = "mx-own-" + fresh.incrementAndGet();
        String body = ownMinutes(role).replace("{\"performer\"", "{\"entryId\":\"" + entryId + "\",\"performer\"");
        clientAs(user(role), EnumSet.of(role)).post().uri(PATIENT + "/care-minutes")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isCreated();
        return entryId;
    }

    private static String visit(String date) {
        return "{\"visitDate\":\"" + date + "\",\"visitType\":\"EM\",\"emLevel\":4,\"practitionerNpi\":\""
                + PatientMother.NPI + "\",\"comprehensiveCarePlanning\":false}";
    }
}
