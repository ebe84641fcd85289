package org.ccmledger.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.ccmledger.CcmLedgerApplication;
import org.ccmledger.ledger.LedgerCollections;
import org.ccmledger.support.PatientMother;
import org.ccmledger.support.TestTokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import com.mongodb.client.model.Filters;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzes every command endpoint (every POST of {@link AccessPolicy#RULES}) over HTTP against the whole service. Each
 * try starts from a valid request and mutates it. One property replaces body values by well-formed odd ones (dates far
 * off or in the future, months not ended, other NPIs and enum constants, minutes out of range, another performer) or
 * names an unknown patient or entry, so that requests reach the rules. The other mutates anything: the body (fields
 * dropped, nulled, of the wrong type, huge, full of control characters, out-of-range or fractional numbers, unknown
 * fields, duplicate keys, truncated JSON, random bytes, no body), the content type, the path (odd, percent-encoded and
 * very long patient, entry, practice and month segments), the headers (Accept, Idempotency-Key, X-Request-Id) and the
 * token (none, garbage, tampered, expired, signed by another key, for another practice).
 *
 * <p>Whatever comes in, the answer is a 2xx or a 4xx, never a 5xx, a dropped connection or no answer (the requests
 * share kept-alive connections, as clients do); every 4xx is an RFC 9457 problem ({@code application/problem+json}
 * whose {@code status} is the response's and whose {@code instance}, if any, is the request's id, never its path); a
 * refused request writes no event to the ledger; a request without a valid token is a 401, one for another practice
 * a 403.
 *
 * <p>jqwik properties do not run in Spring's JUnit extension, so the class starts the service itself, once, on a
 * random port with the in-memory store and its own data directory (with the development issuer's key), and enrolls a
 * patient with consent, a care plan and logged time through the API. Requests that would use a patient up (death,
 * disenrollment, revocation, a practitioner change, consent) get a newly enrolled one, and corrections and voids a
 * newly logged entry.
 */
@Label("Command endpoints under fuzzed requests")
class CommandFuzzHttpTest {

    private static final Path DATA_DIRECTORY = Path.of("target/fuzz-test-data");
    private static final Path FOREIGN_ISSUER_DIRECTORY = Path.of("target/fuzz-test-foreign-issuer");
    private static final String USER = "nurse-1";
    private static final String PRACTICE = "fz-" + System.nanoTime();
    /** A practice the fuzzing tokens act for where nobody is enrolled. */
    private static final String EMPTY_PRACTICE = "fz-empty";
    private static final String OTHER_PRACTICE = "fz-other";
    private static final String PATIENTS = "/api/v1/practices/" + PRACTICE + "/patients";
    private static final String MAIN_PATIENT = "fz-main";
    private static final String CLOSED_MONTH = "2026-09";
    /** Writes the nested values deeper than the service reads (500), and big numbers exactly. */
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder().streamWriteConstraints(
                                                             StreamWriteConstraints.builder().maxNestingDepth(10_000)
                                                                                   .build()).build())
                                                     .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                                                     .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                                                     .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final AtomicInteger FRESH = new AtomicInteger();

    private static ConfigurableApplicationContext service;
    private static LedgerCollections ledger;
    private static TestTokens tokens;
    private static TestTokens foreignTokens;
    private static DevIssuer issuer;
    private static HttpClient http;
    private static String baseUrl;

    // ------------------------------------------------------------------------------------------------ the service

    @BeforeContainer
    static void startTheServiceWithAPatient() {
        // command-line arguments: they outrank application.yml, which default properties would not
        service = new SpringApplicationBuilder(CcmLedgerApplication.class).run(
                "--ccm.mongo.embedded.backend=memory",
                "--ccm.ledger.snapshot-threshold=5",
                "--ccm.integrity.digest-interval=0",
                "--ccm.mongo.embedded.data-dir=" + DATA_DIRECTORY,
                "--server.port=0");
        baseUrl = "http://localhost:" + service.getEnvironment().getRequiredProperty("local.server.port");
        ledger = service.getBean(LedgerCollections.class);
        tokens = new TestTokens(DATA_DIRECTORY);
        issuer = DevIssuer.inDirectory(DATA_DIRECTORY);
        foreignTokens = new TestTokens(FOREIGN_ISSUER_DIRECTORY);
        http = HttpClient.create().baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(30));

        enroll(MAIN_PATIENT, true);
        String plan = PatientMother.carePlan("2026-10-01T15:00:00Z", "2026-10-01T16:00:00Z");
        // the care-plan endpoint asks its read model whether the patient is known: wait for it to catch up
        await().atMost(Duration.ofSeconds(30))
               .until(() -> postValid(PATIENTS + "/" + MAIN_PATIENT + "/care-plan/revisions", plan) == 201);
        assertThat(postValid(PATIENTS + "/" + MAIN_PATIENT + "/care-minutes",
                             PatientMother.careMinutes("fz-e0", "CLINICAL_STAFF", "2026-09-10T14:00:00Z", 30)))
                .isEqualTo(201);
    }

    @AfterContainer
    static void stopTheService() {
        if (service != null) {
            service.close();
        }
    }

    /** Payload types only background work writes: adjustments of closed months, and access records of reads. */
    private static final List<String> WRITTEN_IN_THE_BACKGROUND = List.of(
            "org.ccmledger.billing.api.BillingAdjustmentIssued", "org.ccmledger.audit.api.PatientDataAccessed");

    /**
     * What a refused request wrote after the ledger's head {@code before}: the events since then that a request can
     * write (any but those background work writes meanwhile, whatever request caused the work), and any event that
     * carries the request's own id. Counting the whole ledger instead would count an adjustment that an earlier,
     * accepted request set off, landing while this one ran.
     */
    private static List<String> writtenBy(FuzzRequest request, long before) {
        List<String> written = new ArrayList<>();
        String requestId = request.headers().requestId();
        boolean ownId = requestId != null && requestId.matches("[A-Za-z0-9._@:-]{1,128}");
        for (org.bson.Document event : ledger.events().find(Filters.and(Filters.gt("_id", before),
                                                                         Filters.exists("tombstone", false)))) {
            boolean background = WRITTEN_IN_THE_BACKGROUND.contains(event.getString("payloadType"));
            boolean carriesOurId = ownId && String.valueOf(event.getString("metaData"))
                                                  .contains("\"requestId\":\"" + requestId + "\"");
            if (!background || carriesOurId) {
                written.add(event.getString("payloadType") + " at " + event.get("_id"));
            }
        }
        return written;
    }

    // ------------------------------------------------------------------------------------------------ properties

    @Property(tries = 200)
    @Label("well-formed but odd values reach the rules: 2xx or a 4xx problem, never 5xx; a refusal writes nothing")
    void wellFormedOddValuesAreAnsweredWithASuccessOrAProblemAndARefusalWritesNothing(
            @ForAll("wellFormedRequests") FuzzRequest request) {
        checkAnswer(request);
        Statistics.label("status").coverage(coverage -> {
            coverage.check("2xx").count(n -> n > 0);
            coverage.check("400").count(n -> n > 0);
            coverage.check("404").count(n -> n > 0);
            coverage.check("422").count(n -> n > 0);
        });
    }

    @Property(tries = 400)
    @Label("any request: 2xx or a 4xx problem, never 5xx; a refusal writes nothing; no valid token: 401")
    void anyRequestIsAnsweredWithASuccessOrAProblemAndARefusalWritesNothing(
            @ForAll("anyRequests") FuzzRequest request) {
        checkAnswer(request);
        Statistics.label("status").coverage(coverage -> {
            coverage.check("400").count(n -> n > 0);
            coverage.check("401").count(n -> n > 0);
            coverage.check("403").count(n -> n > 0);
            coverage.check("406").count(n -> n > 0);
            coverage.check("413").count(n -> n > 0);
            coverage.check("415").count(n -> n > 0);
        });
    }

    /** Sends the request and checks the property; collects the statuses and endpoints for the report. */
    private static void checkAnswer(FuzzRequest request) {
        Prepared prepared = prepare(request);
        long before = ledger.highestReserved();
        Answer response = send(prepared);
        int status = response.status();
        String what = request.endpoint() + " answered " + status + " " + response.contentType() + ": "
                + excerpt(response.body());
        Statistics.label("status").collect(statusLabel(status));
        Statistics.label("endpoint").collect(request.endpoint().pattern());

        assertThat(status / 100).as("only 2xx or 4xx; %s", what).isIn(2, 4);
        if (status >= 400) {
            assertThat(response.contentType()).as("a 4xx is a problem; %s", what)
                                             .matches(CommandFuzzHttpTest::isProblem);
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("status").asInt()).as("the problem's status; %s", what).isEqualTo(status);
            assertThat(problem.path("instance").asString("urn:ccm-ledger:request:"))
                    .as("a problem's instance is the request's id, never its path (which names the patient); %s",
                        what)
                    .startsWith("urn:ccm-ledger:request:");
        }
        if (status >= 300) {
            assertThat(writtenBy(request, before)).as("a refused request writes nothing; %s", what).isEmpty();
        }
        Integer expected = request.auth().expectedStatus(request.endpoint());
        if (expected != null) {
            assertThat(status).as("%s; %s", request.auth(), what).isEqualTo(expected);
        }
    }

    @Example
    @Label("the fuzzer covers every command endpoint of the access policy")
    void everyCommandEndpointIsFuzzed() {
        // the two uploads take a file, not a JSON command: ReferenceUploadHttpTest sends them malformed files;
        List<String> commands = AccessPolicy.RULES.stream().filter(rule -> rule.method() == HttpMethod.POST)
                                                  .map(AccessPolicy.Rule::pattern)
                                                  .filter(pattern -> !pattern.startsWith("/api/v1/reference/"))
                                                  // the import takes NDJSON lines, each refused on its own:
                                                  // HistoryImportHttpTest sends it malformed lines
                                                  .filter(pattern -> !pattern.endsWith("/import"))
                                                  .sorted().toList();
        assertThat(ENDPOINTS.stream().map(Endpoint::pattern).sorted().toList()).isEqualTo(commands);
    }

    // ------------------------------------------------------------------------------------------------ endpoints

    /** Whom a valid request of the endpoint is about, set up afresh where a success would use them up. */
    enum Subject {
        /** The practice only (enrollment, closing a month). */
        PRACTICE,
        /** The set-up patient with consent and a care plan. */
        MAIN_PATIENT,
        /** A newly enrolled patient with consent: death, disenrollment, revocation, a practitioner change. */
        FRESH_PATIENT,
        /** A newly enrolled patient without consent. */
        UNCONSENTED_PATIENT,
        /** A newly logged entry of the caller's on the set-up patient. */
        OWN_ENTRY,
        /** The whole ledger, no practice in the path. */
        LEDGER
    }

    /** A command endpoint: its pattern as {@link AccessPolicy} names it and a valid body ({@code null}: none). */
    record Endpoint(String pattern, Subject subject, IntFunction<String> validBody) {
        List<Slot> slots() {
            return Arrays.stream(Slot.values()).filter(slot -> pattern.contains(slot.placeholder)).toList();
        }

        @Override
        public String toString() {
            return "POST " + pattern;
        }
    }

    /** A variable segment of a path. */
    enum Slot {
        PRACTICE("{practiceId}"), PATIENT("{patientId}"), ENTRY("{entryId}"), MONTH("{month}"), CLAIM("{claimId}"),
        ACCESS("{accessIndex}");

        final String placeholder;

        Slot(String placeholder) {
            this.placeholder = placeholder;
        }
    }

    private static final String P = "/api/v1/practices/{practiceId}";
    private static final String PT = P + "/patients/{patientId}";
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(P + "/patients", Subject.PRACTICE, n -> PatientMother.enrollment("fz-p" + n)),
            new Endpoint(PT + "/billing-practitioner", Subject.FRESH_PATIENT,
                         n -> "{\"billingPractitionerNpi\":\"1245319599\",\"effectiveAt\":\"2026-11-01T05:00:00Z\"}"),
            new Endpoint(PT + "/death", Subject.FRESH_PATIENT, n -> "{\"dateOfDeath\":\"2026-11-02\"}"),
            new Endpoint(PT + "/disenrollment", Subject.FRESH_PATIENT,
                         n -> "{\"effectiveAt\":\"2026-11-01T05:00:00Z\",\"reason\":\"moved\"}"),
            new Endpoint(PT + "/initiating-visits", Subject.MAIN_PATIENT,
                         n -> "{\"visitDate\":\"2026-10-02\",\"visitType\":\"EM\",\"emLevel\":4,\"practitionerNpi\":\""
                                 + PatientMother.NPI + "\",\"comprehensiveCarePlanning\":false}"),
            new Endpoint(PT + "/complexity", Subject.MAIN_PATIENT,
                         n -> "{\"month\":\"2026-10\",\"medicalDecisionMaking\":\"HIGH\",\"attestedBy\":\"dr-who\"}"),
            new Endpoint(PT + "/concurrent-services", Subject.MAIN_PATIENT,
                         n -> "{\"code\":\"99495\",\"month\":\"2026-10\",\"practitionerNpi\":\"" + PatientMother.NPI
                                 + "\"}"),
            new Endpoint(PT + "/inpatient-stays", Subject.MAIN_PATIENT,
                         n -> "{\"admittedOn\":\"2026-10-03\",\"dischargedOn\":\"2026-10-06\"}"),
            new Endpoint(PT + "/consents", Subject.UNCONSENTED_PATIENT, n -> PatientMother.consent()),
            new Endpoint(PT + "/consents/revocation", Subject.FRESH_PATIENT,
                         n -> "{\"revokedAt\":\"2026-11-10T14:00:00Z\",\"reason\":\"asked to stop\"}"),
            new Endpoint(PT + "/care-plan/revisions", Subject.MAIN_PATIENT,
                         n -> PatientMother.carePlan(startedAt(n), "2026-11-26T00:00:00Z")),
            new Endpoint(PT + "/care-minutes", Subject.MAIN_PATIENT,
                         n -> PatientMother.careMinutes("fz-e" + n, "CLINICAL_STAFF", startedAt(n), 5)),
            new Endpoint(PT + "/care-minutes/{entryId}/correction", Subject.OWN_ENTRY,
                         n -> "{\"minutes\":7,\"reason\":\"typo\"}"),
            new Endpoint(PT + "/care-minutes/{entryId}/void", Subject.OWN_ENTRY,
                         n -> "{\"reason\":\"wrong patient\"}"),
            new Endpoint(P + "/billing/{month}/close", Subject.PRACTICE, null),
            new Endpoint(P + "/claims/{claimId}/payer-reference", Subject.PRACTICE,
                         n -> "{\"icn\":\"22612345678901\"}"),
            new Endpoint(P + "/audit/risks/{month}/reviews", Subject.PRACTICE,
                         n -> "{\"patientId\":\"" + MAIN_PATIENT + "\",\"risk\":\"LATE_ENTRY\","
                              + "\"decision\":\"ACCEPTED\",\"note\":\"reviewed with the nurse\"}"),
            new Endpoint(P + "/audit/break-glass/{accessIndex}/review", Subject.PRACTICE,
                         n -> "{\"decision\":\"APPROPRIATE\",\"note\":\"confirmed with the attending\"}"),
            new Endpoint(PT + "/identity/erasure", Subject.FRESH_PATIENT,
                         n -> "{\"basis\":\"LEGAL_ORDER\",\"reason\":\"order 42\"}"),
            new Endpoint("/api/v1/ledger/digests", Subject.LEDGER, null));

    /** A distinct instant in November 2026 (in the past) for the n-th request. */
    private static String startedAt(int n) {
        return "2026-11-%02dT%02d:%02d:00Z".formatted(1 + n % 25, (n / 25) % 24, (n / 600) % 60);
    }

    // ------------------------------------------------------------------------------------------------ requests

    /** What the fuzzer sends: a valid request of the endpoint, then the mutations. */
    record FuzzRequest(Endpoint endpoint, List<BodyMutation> body, RawMutation raw, String contentType,
                       List<PathMutation> path, Headers headers, Auth auth) {
    }

    /** Extra headers; {@code null} leaves one out. */
    record Headers(String accept, String idempotencyKey, String requestId) {
    }

    /** The request as it goes on the wire. */
    record Prepared(String path, byte[] body, String contentType, String authorization, Headers headers) {
    }

    /**
     * A valid request whose body has up to three values replaced by well-formed odd ones (dates far off or in the
     * future, months not ended, other NPIs and enum constants, minutes out of range, another performer, empty plan
     * items) or a field dropped, sometimes for an unknown patient or entry or another month: what the rules refuse.
     */
    @Provide
    Arbitrary<FuzzRequest> wellFormedRequests() {
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 63);
        Arbitrary<BodyMutation> mutation = Arbitraries.frequencyOf(
                Tuple.of(1, where.map(Drop::new)),
                Tuple.of(6, Combinators.combine(where, Arbitraries.integers().between(0, 999).map(Plausible::new))
                                       .as(Replace::new)));
        Arbitrary<List<PathMutation>> path = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(List.<PathMutation>of())),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(0, 3),
                                                Arbitraries.of("fz-nobody", "fz-unknown-entry", EMPTY_PRACTICE,
                                                               "2026-10", "2026-11", "2026-12", "2099-01", "0000-01",
                                                               "-999999999-01", "+999999999-12")
                                                           .map(Literal::new))
                                       .as(PathMutation::new).map(List::of)));
        return Combinators.combine(Arbitraries.of(ENDPOINTS).withoutEdgeCases(), mutation.list().ofMaxSize(3), path)
                          .as((endpoint, body, segments) -> new FuzzRequest(
                                  endpoint, body, new Intact(), "application/json", segments,
                                  new Headers(null, null, null), new Valid()));
    }

    /** Anything: mutated bodies, raw bytes, content types, paths, headers and tokens. */
    @Provide
    Arbitrary<FuzzRequest> anyRequests() {
        Arbitrary<List<PathMutation>> path = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(List.<PathMutation>of())),
                Tuple.of(1, pathMutation().list().ofMinSize(1).ofMaxSize(2)));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(
                Tuple.of(9, Arbitraries.just("application/json")),
                Tuple.of(1, Arbitraries.of("", "text/plain", "application/xml", "application/x-www-form-urlencoded",
                                           "multipart/form-data; boundary=fz", "application/json; charset=UTF-16",
                                           "application/json; charset=ISO-8859-1", "application/json; charset=bogus",
                                           "application/problem+json", "application/vnd.fz+json", "*/*",
                                           "application/*", "application/json;;", "garbage", "application/",
                                           "text/json", "application/x-ndjson", "application/json; q=\"")));
        return Combinators.combine(Arbitraries.of(ENDPOINTS).withoutEdgeCases(), bodyMutation().list().ofMaxSize(3),
                                   rawMutation(), contentType, path, headers(), auth())
                          .as((endpoint, body, raw, type, segments, headers, auth) -> new FuzzRequest(
                                  endpoint, body, raw, type,
                                  // a token's refusal is checked on the endpoint's own path
                                  auth instanceof Valid ? segments : List.of(), headers, auth));
    }

    private static Prepared prepare(FuzzRequest request) {
        int n = FRESH.incrementAndGet();
        Endpoint endpoint = request.endpoint();
        Map<Slot, String> slots = new EnumMap<>(Slot.class);
        slots.put(Slot.PRACTICE, PRACTICE);
        slots.put(Slot.MONTH, CLOSED_MONTH);
        slots.put(Slot.CLAIM, "ccm-fz-claim-" + n);
        // no emergency read of the fuzzed practice is there: a well-formed review is refused as unknown
        slots.put(Slot.ACCESS, Integer.toString(n));
        switch (endpoint.subject()) {
            case MAIN_PATIENT -> slots.put(Slot.PATIENT, MAIN_PATIENT);
            case FRESH_PATIENT -> slots.put(Slot.PATIENT, enroll("fz-s" + n, true));
            case UNCONSENTED_PATIENT -> slots.put(Slot.PATIENT, enroll("fz-s" + n, false));
            case OWN_ENTRY -> {
                slots.put(Slot.PATIENT, MAIN_PATIENT);
                slots.put(Slot.ENTRY, "fz-own" + n);
                assertThat(postValid(PATIENTS + "/" + MAIN_PATIENT + "/care-minutes", PatientMother.careMinutes(
                        "fz-own" + n, "CLINICAL_STAFF", startedAt(n), 10))).as("a fresh entry").isEqualTo(201);
            }
            case PRACTICE, LEDGER -> { }
        }
        JsonNode tree = endpoint.validBody() == null ? null : JSON.readTree(endpoint.validBody().apply(n));
        for (BodyMutation mutation : request.body()) {
            if (tree != null) {
                mutation.apply(tree);
            }
        }
        byte[] body = tree == null ? null : JSON.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
        body = request.raw().apply(body, tree);
        List<Slot> available = endpoint.slots();
        for (PathMutation mutation : request.path()) {
            if (!available.isEmpty()) {
                Slot slot = available.get(mutation.slot() % available.size());
                slots.put(slot, mutation.segment().encoded(slots.get(slot)));
            }
        }
        String path = endpoint.pattern();
        for (Map.Entry<Slot, String> slot : slots.entrySet()) {
            path = path.replace(slot.getKey().placeholder, slot.getValue());
        }
        String contentType = body == null && request.contentType().equals("application/json") ? ""
                : request.contentType();
        String authorization = request.auth().header(percentDecode(slots.get(Slot.PRACTICE)));
        return new Prepared(path, body, contentType, authorization, request.headers());
    }

    /** What came back. */
    record Answer(int status, String contentType, byte[] body) {
    }

    private static Answer send(Prepared request) {
        Headers headers = request.headers();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Content-Type", request.contentType().isEmpty() ? null : request.contentType());
        values.put("Authorization", request.authorization());
        values.put("Accept", headers.accept());
        values.put("Idempotency-Key", headers.idempotencyKey());
        values.put("X-Request-Id", headers.requestId());
        return post(request.path(), values, request.body());
    }

    /**
     * Sends a POST with exactly these headers ({@code null}: left out; no default Accept) and bytes, on one kept-alive
     * connection after another as any client would. A connection failure, or no answer within 30 seconds, fails the
     * property.
     */
    private static Answer post(String path, Map<String, String> headers, byte[] body) {
        return http.headers(h -> {
                       h.remove(HttpHeaderNames.ACCEPT);
                       headers.forEach((name, value) -> {
                           if (value != null) {
                               h.set(name, value);
                           }
                       });
                   })
                   .post().uri(path)
                   .send(body == null ? Mono.empty() : Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                   .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(new byte[0]).map(
                           bytes -> new Answer(response.status().code(),
                                               response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE, "(none)"),
                                               bytes)))
                   .block(Duration.ofSeconds(40));
    }

    private static Arbitrary<Headers> headers() {
        Arbitrary<String> accept = Arbitraries.of("text/csv", "application/xml", "application/fhir+json", "*/*",
                                                  "garbage", "application/x-ndjson", "text/html", "image/png",
                                                  "application/problem+json", "application/json;q=0", "",
                                                  "application/*", "application/json, text/csv;q=0.5")
                                              .injectNull(0.8);
        Arbitrary<String> idempotencyKey = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(12)
                           .map(key -> "fz-k-" + key),
                Arbitraries.of("fz-same-key", "with space", "", "k*", "a".repeat(129), "%2F"))
                .injectNull(0.8);
        Arbitrary<String> requestId = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40),
                Arbitraries.just("r".repeat(500))).injectNull(0.85);
        return Combinators.combine(accept, idempotencyKey, requestId).as(Headers::new);
    }

    // ------------------------------------------------------------------------------------------------ tokens

    /** The Authorization header of a request, and the status it must get whatever else the request says. */
    sealed interface Auth permits Valid, NoToken, Garbage, Tampered, Expired, ForeignKey, OtherPractice {
        String header(String practiceInPath);

        /** {@code null}: whatever the rest of the request earns. */
        default Integer expectedStatus(Endpoint endpoint) {
            return 401;
        }
    }

    /** Every role, for the practice of the path (whatever it says), the fuzzing practice and an empty one. */
    record Valid() implements Auth {
        public String header(String practiceInPath) {
            List<String> practices = new ArrayList<>(List.of(PRACTICE, EMPTY_PRACTICE));
            if (practiceInPath != null && !practiceInPath.isBlank()) {
                practices.add(practiceInPath);
            }
            return "Bearer " + tokens.mint(USER, TestTokens.ALL_ROLES, practices.toArray(String[]::new));
        }

        public Integer expectedStatus(Endpoint endpoint) {
            return null;
        }
    }

    record NoToken() implements Auth {
        public String header(String practiceInPath) {
            return null;
        }
    }

    record Garbage(String value) implements Auth {
        public String header(String practiceInPath) {
            return value;
        }
    }

    /** A valid token with its signature changed. */
    record Tampered() implements Auth {
        public String header(String practiceInPath) {
            String token = tokens.mint(USER, TestTokens.ALL_ROLES, PRACTICE);
            int at = token.length() - 10;
            return "Bearer " + token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        }
    }

    record Expired() implements Auth {
        public String header(String practiceInPath) {
            return "Bearer " + issuer.mint(USER, TestTokens.ALL_ROLES, List.of(PRACTICE), Duration.ofMinutes(-10));
        }
    }

    /** Signed by another development issuer's key. */
    record ForeignKey() implements Auth {
        public String header(String practiceInPath) {
            return "Bearer " + foreignTokens.mint(USER, TestTokens.ALL_ROLES, PRACTICE);
        }
    }

    /** Every role, but only for another practice: 403 on every practice's path. */
    record OtherPractice() implements Auth {
        public String header(String practiceInPath) {
            return "Bearer " + tokens.mint(USER, TestTokens.ALL_ROLES, OTHER_PRACTICE);
        }

        public Integer expectedStatus(Endpoint endpoint) {
            return endpoint.pattern().contains("{practiceId}") ? 403 : null;
        }
    }

    private static Arbitrary<Auth> auth() {
        Arbitrary<Auth> garbage = Arbitraries.oneOf(
                Arbitraries.of("Bearer", "Bearer ", "Bearer garbage", "Basic dXNlcjpwYXNz", "Bearer a.b.c",
                               "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJudXJzZS0xIn0.", "Token abc", "", "Bearer  x"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60).map(s -> "Bearer " + s))
                .map(Garbage::new);
        return Arbitraries.frequencyOf(
                Tuple.of(80, Arbitraries.just(new Valid())),
                Tuple.of(4, Arbitraries.just(new NoToken())),
                Tuple.of(4, garbage),
                Tuple.of(2, Arbitraries.just(new Tampered())),
                Tuple.of(2, Arbitraries.just(new Expired())),
                Tuple.of(2, Arbitraries.just(new ForeignKey())),
                Tuple.of(6, Arbitraries.just(new OtherPractice())));
    }

    // ------------------------------------------------------------------------------------------------ path

    /** Replaces one of the endpoint's path variables (chosen modulo how many it has) with an odd segment. */
    record PathMutation(int slot, Segment segment) {
    }

    /** A path segment as it goes on the wire (already percent-encoded), in place of the one the request had. */
    sealed interface Segment permits Literal, Respelled, Encoded, LongSegment {
        String encoded(String original);
    }

    /** Percent-encoded or odd as given: unknown ids, dot segments, encoded slashes, bad months. */
    record Literal(String text) implements Segment {
        public String encoded(String original) {
            return text;
        }
    }

    /** The segment it replaces, every character percent-encoded: the same patient, entry or month, spelled so. */
    record Respelled() implements Segment {
        public String encoded(String original) {
            StringBuilder encoded = new StringBuilder();
            for (byte b : original.getBytes(StandardCharsets.UTF_8)) {
                encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
            return encoded.toString();
        }
    }

    /** Any text, percent-encoded as UTF-8. */
    record Encoded(String text) implements Segment {
        public String encoded(String original) {
            return percentEncode(text);
        }

        @Override
        public String toString() {
            return "Encoded[" + visible(text) + "]";
        }
    }

    /** A very long segment: a unit repeated, past the 4 KB limit of a request line at the longest. */
    record LongSegment(String unit, int count) implements Segment {
        public String encoded(String original) {
            return unit.repeat(count);
        }
    }

    private static Arbitrary<PathMutation> pathMutation() {
        Arbitrary<Segment> segment = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(
                        // unknown but well formed: an unknown patient, entry, practice; a month not closed yet
                        "fz-nobody", "fz-unknown-entry", EMPTY_PRACTICE, "2026-10", "2026-11", "2026-12", "2099-01",
                        // another spelling of the set-up patient: another patient, or refused
                        "FZ-MAIN", "fz-main.", "fz-main;v=1", "fz-main%3Bv=1",
                        // odd
                        "%2F", "a%2Fb", "%2e%2e", "..", ".", "%2e", "%00", "a%00b", "%25", "%25%32%46", "%20", "+",
                        ";", "%3B", "%3F", "%23", "~", "%C0%AF", "%FF", "%E2%80%AE", "%EF%BB%BF", "%F0%9F%98%80",
                        "%0A", "%0D%0A", "%5C", "-", "_", "0",
                        // months
                        "2026-13", "2026-00", "%2B999999999-12", "-999999999-01", "+999999999-12", "2026-1", "202610",
                        "0000-01", "9999-12", "2026-10-01", "1900-01", "-0001-01", "%2B2026-10")
                           .map(Literal::new)),
                Tuple.of(1, Arbitraries.just(new Respelled())),
                Tuple.of(2, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30).map(Encoded::new)),
                Tuple.of(1, Combinators.combine(Arbitraries.of("a", "0", "%C3%A9", "%F0%9F%98%80", "%2F", "-"),
                                                Arbitraries.integers().between(65, 1500))
                                       .as(LongSegment::new)));
        return Combinators.combine(Arbitraries.integers().between(0, 3), segment).as(PathMutation::new);
    }

    // ------------------------------------------------------------------------------------------------ body

    /** A change to the JSON tree of the valid body; {@code where} picks a place modulo how many there are. */
    sealed interface BodyMutation permits Drop, Replace, AddField {
        void apply(JsonNode tree);
    }

    /** Leaves out a field or an array element. */
    record Drop(int where) implements BodyMutation {
        public void apply(JsonNode tree) {
            List<Place> places = places(tree);
            if (!places.isEmpty()) {
                places.get(where % places.size()).remove();
            }
        }
    }

    /** Replaces a field's or an element's value. */
    record Replace(int where, Value value) implements BodyMutation {
        public void apply(JsonNode tree) {
            List<Place> places = places(tree);
            if (!places.isEmpty()) {
                Place place = places.get(where % places.size());
                place.set(value.node(place.get()));
            }
        }
    }

    /** Adds a field the endpoint does not know (or one it knows, at a level where it does not belong). */
    record AddField(int where, String name, Value value) implements BodyMutation {
        public void apply(JsonNode tree) {
            List<ObjectNode> objects = new ArrayList<>();
            collectObjects(tree, objects);
            if (!objects.isEmpty()) {
                objects.get(where % objects.size()).set(name, value.node(null));
            }
        }

        @Override
        public String toString() {
            return "AddField[" + where + ", " + visible(name) + ", " + value + "]";
        }
    }

    /** A field of an object or an element of an array. */
    record Place(JsonNode parent, String field, int index) {
        JsonNode get() {
            return parent instanceof ObjectNode o ? o.get(field) : parent.get(index);
        }

        void set(JsonNode value) {
            if (parent instanceof ObjectNode o) {
                o.set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (parent instanceof ObjectNode o) {
                o.remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static List<Place> places(JsonNode tree) {
        List<Place> places = new ArrayList<>();
        collectPlaces(tree, places);
        return places;
    }

    private static void collectPlaces(JsonNode node, List<Place> places) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                places.add(new Place(object, field.getKey(), -1));
                collectPlaces(field.getValue(), places);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                places.add(new Place(array, null, i));
                collectPlaces(array.get(i), places);
            }
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> objects) {
        if (node instanceof ObjectNode object) {
            objects.add(object);
            object.properties().forEach(field -> collectObjects(field.getValue(), objects));
        } else if (node instanceof ArrayNode array) {
            array.forEach(element -> collectObjects(element, objects));
        }
    }

    /** A JSON value to put in place of another. */
    sealed interface Value permits Plausible, Similar, Fragment, Text, HugeText, Nested, Wrapped {
        JsonNode node(JsonNode original);
    }

    /**
     * A well-formed value of the same kind as the original that a rule may refuse: a date-time or date far off or in
     * the future, a month not ended, another valid NPI, another enum constant, minutes out of range, another
     * performer, an empty or one-item list.
     */
    record Plausible(int pick) implements Value {
        public JsonNode node(JsonNode original) {
            List<String> pool = Pools.of(original).wellFormed();
            return JSON.readTree(pool.get(pick % pool.size()));
        }
    }

    /** A value of the same kind as the original, well formed or not (dates without offset, impossible days, …). */
    record Similar(int pick) implements Value {
        public JsonNode node(JsonNode original) {
            List<String> pool = Pools.of(original).all();
            return JSON.readTree(pool.get(pick % pool.size()));
        }
    }

    /** Any JSON text: null, the wrong type, numbers out of range or with fractions. */
    record Fragment(String json) implements Value {
        public JsonNode node(JsonNode original) {
            return JSON.readTree(json);
        }
    }

    /** A string of generated characters: control characters, unicode, surrogates. */
    record Text(String text) implements Value {
        public JsonNode node(JsonNode original) {
            return NODES.stringNode(text);
        }

        @Override
        public String toString() {
            return "Text[" + visible(text) + "]";
        }
    }

    /** A huge string, up to 100k characters (over the 64 KB limit of a body). */
    record HugeText(String unit, int length) implements Value {
        public JsonNode node(JsonNode original) {
            return NODES.stringNode(unit.repeat(length / unit.length() + 1).substring(0, length));
        }

        @Override
        public String toString() {
            return "HugeText[" + visible(unit) + " x " + length + "]";
        }
    }

    /** Arrays nested {@code depth} deep. */
    record Nested(int depth) implements Value {
        public JsonNode node(JsonNode original) {
            ArrayNode root = NODES.arrayNode();
            ArrayNode current = root;
            for (int i = 1; i < depth; i++) {
                ArrayNode next = NODES.arrayNode();
                current.add(next);
                current = next;
            }
            return root;
        }
    }

    /** The original inside an array or an object. */
    record Wrapped(boolean inArray) implements Value {
        public JsonNode node(JsonNode original) {
            JsonNode value = original == null ? NODES.nullNode() : original.deepCopy();
            return inArray ? NODES.arrayNode().add(value) : NODES.objectNode().set("value", value);
        }
    }

    /** Replacement values by the kind of the original (JSON texts), well formed and not. */
    record Pools(List<String> wellFormed, List<String> malformed) {

        private static final Pools DATE_TIMES = new Pools(
                quoted("2026-11-01T00:00:00Z", "2026-11-26T23:59:59.999999999Z", "2099-01-01T00:00:00Z",
                       "2026-11-28T00:00:00Z", "1970-01-01T00:00:00Z", "2025-12-31T23:59:59Z", "2026-01-01T14:59:59Z",
                       "2026-03-08T07:30:00Z", "2026-10-31T23:59:59-04:00", "2026-11-01T05:59:59Z",
                       "2026-09-30T12:00:00Z", "2026-11-01T00:00:00+18:00", "2026-11-01T00:00:00-18:00",
                       "-999999999-01-01T00:00:00+18:00", "+999999999-12-31T23:59:59.999999999-18:00",
                       "0000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
                concat(quoted("2026-11-01T00:00:00", "2026-11-01", "2026-11-01T00:00:00+25:00", "2026-02-29T12:00:00Z",
                              "2026-11-01T00:00:00.1234567891Z", "2026-11-01T24:00:00Z", "2026-11-01 10:00:00Z",
                              "1764201600", ""),
                       List.of("1764201600", "0", "-1", "9223372036854775807", "-9223372036854775808", "1e30",
                               "-1e30", "1.5", "1764201600.123456789", "31556889864403199", "-31557014167219200")));
        private static final Pools DATES = new Pools(
                quoted("2026-11-02", "2099-01-01", "1900-01-01", "2026-10-06", "2026-10-02", "2026-10-31",
                       "2026-11-01", "2026-09-30", "2026-11-27", "2026-11-28", "-999999999-01-01", "+999999999-12-31",
                       "0000-01-01", "2026-01-01", "2025-12-31"),
                quoted("2026-02-29", "2026-02-30", "2026-11-02T00:00:00Z", "20261102", "", "2026-13-01"));
        private static final Pools MONTHS = new Pools(
                quoted("2026-10", "2026-11", "2026-12", "2099-12", "1900-01", "2026-09", "0000-01", "+999999999-12",
                       "-999999999-01", "9999-12", "2025-12"),
                quoted("2026-13", "2026-00", "2026-1", "202610", "2026-10-01", ""));
        private static final Pools NPIS = new Pools(
                quoted("1234567893", "1245319599"),
                quoted("1234567890", "0000000000", "12345678931", "123456789",
                       "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff13", "1234567893 ", "-234567893",
                       ""));
        private static final Pools ENUMS = new Pools(
                quoted("CLINICAL_STAFF", "BILLING_PRACTITIONER", "OTHER_QHP", "NON_CLINICAL", "HIGH", "MODERATE",
                       "EM", "AWV", "IPPE", "TCM", "VERBAL", "WRITTEN", "ACCEPTED", "DECLINED", "CARE_COORDINATION",
                       "MEDICATION_MANAGEMENT", "OTHER"),
                quoted("clinical_staff", "LOW", "", " ", "ACCEPTED ", "Accepted", "0", "null"));
        private static final Pools ZONES = new Pools(
                quoted("America/New_York", "UTC", "Etc/GMT-14", "Etc/GMT+12", "Pacific/Kiritimati",
                       "Pacific/Pago_Pago", "EST", "SystemV/AST4", "Europe/Kyiv", "Antarctica/Troll", "GMT0",
                       "America/St_Johns", "Asia/Kathmandu"),
                quoted("Z", "+05:00", "America/New_York ", "america/new_york", "", "Mars/Olympus_Mons"));
        private static final Pools TEXTS = new Pools(
                quoted("x", "nurse-1", "nurse-2", "NURSE-1", "dr-who", "99495", "99490", "G0556", "E11.9", "I10",
                       "\u202e", "\ud83d\ude00", "<script>", "${jndi:ldap://x}", "../../etc/passwd", "fz-main",
                       "fz-nobody", "'; drop table events; --", "a".repeat(128), "a".repeat(1000), "a".repeat(2000)),
                quoted("", " ", "\t", "\u00a0", "\u0000", "a".repeat(129), "a".repeat(257), "a".repeat(1001),
                       "a".repeat(2001)));
        private static final Pools NUMBERS = new Pools(
                List.of("0", "-1", "1", "2", "5", "1440", "1441", "2147483647", "-2147483648"),
                List.of("2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "1e308", "1E+400",
                        "-1E+400", "19.9", "1.0", "1e2", "-0", "1e-400", "0.0000001",
                        "100000000000000000000000000000000000000", "\"7\"", "\"\""));
        private static final Pools BOOLEANS = new Pools(
                List.of("true", "false"),
                List.of("\"true\"", "0", "1", "\"yes\""));
        private static final Pools ARRAYS = new Pools(
                List.of("[]", "[\"x\"]", "[\"\"]", "[\" \"]", "[\"x\",\"x\"]",
                        "[{\"code\":\"E11.9\",\"description\":\"d\",\"expectedToLast12Months\":true,"
                                + "\"significantRisk\":true}]",
                        "[{\"code\":\"E11.9\",\"description\":\"d\",\"expectedToLast12Months\":false,"
                                + "\"significantRisk\":false},{\"code\":\"I10\",\"description\":\"h\","
                                + "\"expectedToLast12Months\":true,\"significantRisk\":true}]",
                        "[" + String.join(",", java.util.Collections.nCopies(100, "\"x\"")) + "]"),
                List.of("[null]", "[1]", "[[]]", "[{}]", "\"not an array\"", "{}",
                        "[" + String.join(",", java.util.Collections.nCopies(101, "\"x\"")) + "]",
                        "[" + String.join(",", java.util.Collections.nCopies(5000, "\"x\"")) + "]"));
        private static final Pools OBJECTS = new Pools(
                List.of("{\"role\":\"CLINICAL_STAFF\",\"id\":\"nurse-2\"}", "{\"role\":\"BILLING_PRACTITIONER\"}",
                        "{\"role\":\"NON_CLINICAL\",\"id\":\"nurse-1\"}", "{\"role\":\"OTHER_QHP\"}",
                        "{\"availability\":true}", "{}",
                        "{\"availability\":false,\"costSharing\":true,\"onePractitionerPerMonth\":true,"
                                + "\"rightToStop\":true}"),
                List.of("null", "[]", "{\"id\":null}", "{\"role\":\"CLINICAL_STAFF\",\"id\":\"\"}"));

        private static final Pattern DATE_TIME = Pattern.compile("[+-]?\\d{4,9}-\\d{2}-\\d{2}T.*");
        private static final Pattern DATE = Pattern.compile("[+-]?\\d{4,9}-\\d{2}-\\d{2}");
        private static final Pattern MONTH = Pattern.compile("[+-]?\\d{4,9}-\\d{2}");
        private static final Pattern NPI = Pattern.compile("\\d{10}");
        private static final Pattern ENUM = Pattern.compile("[A-Z_]+");

        List<String> all() {
            return concat(wellFormed, malformed);
        }

        /** The pool for an original value, by its JSON type and, for a string, its shape. */
        static Pools of(JsonNode original) {
            if (original == null || original.isNull()) {
                return TEXTS;
            }
            if (original.isNumber()) {
                return NUMBERS;
            }
            if (original.isBoolean()) {
                return BOOLEANS;
            }
            if (original.isArray()) {
                return ARRAYS;
            }
            if (original.isObject()) {
                return OBJECTS;
            }
            String text = original.asString();
            if (DATE_TIME.matcher(text).matches()) {
                return DATE_TIMES;
            }
            if (DATE.matcher(text).matches()) {
                return DATES;
            }
            if (MONTH.matcher(text).matches()) {
                return MONTHS;
            }
            if (NPI.matcher(text).matches()) {
                return NPIS;
            }
            if (ENUM.matcher(text).matches()) {
                return ENUMS;
            }
            return text.contains("/") ? ZONES : TEXTS;
        }

        private static List<String> quoted(String... texts) {
            return Arrays.stream(texts).map(JSON::writeValueAsString).toList();
        }

        private static List<String> concat(List<String> first, List<String> second) {
            List<String> both = new ArrayList<>(first);
            both.addAll(second);
            return both;
        }
    }

    private static Arbitrary<BodyMutation> bodyMutation() {
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 63);
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.of("x", "patientId", "actor", "tombstone", "performer", "__proto__", "", "$where",
                               "entryId", "id", "PATIENTID"),
                Arbitraries.strings().all().ofMaxLength(12));
        return Arbitraries.frequencyOf(
                Tuple.of(2, where.map(Drop::new)),
                Tuple.of(5, Combinators.combine(where, value()).as(Replace::new)),
                Tuple.of(1, Combinators.combine(where, name, value()).as(AddField::new)));
    }

    private static Arbitrary<Value> value() {
        Arbitrary<String> odd = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().withCharRange('\u0000', '\u001f')
                           .withChars("\u007f\u0085\u00a0\u2028\u2029\ufeff\u202e\u200b\u0301\ud83d\ude00\ufffd\uffff")
                           .ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().ascii().ofMaxLength(30));
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 999).map(Similar::new)),
                Tuple.of(3, Arbitraries.of("null", "true", "false", "0", "-1", "\"\"", "[]", "{}", "[null]",
                                           "{\"a\":1}", "9223372036854775808", "-1E+400", "1E+400", "19.9",
                                           "0.5", "1e-7", "\"nurse-1\"", "\"CLINICAL_STAFF\"", "\"2026-11-01\"")
                                       .map(Fragment::new)),
                Tuple.of(2, odd.map(Text::new)),
                Tuple.of(1, Combinators.combine(Arbitraries.of("a", "\u00e9", "\ud83d\ude00", "\u0000", "ab ", " "),
                                                Arbitraries.integers().between(1_000, 100_000))
                                       .as(HugeText::new)),
                Tuple.of(1, Arbitraries.integers().between(2, 900).map(Nested::new)),
                Tuple.of(1, Arbitraries.of(true, false).map(Wrapped::new)));
    }

    // ------------------------------------------------------------------------------------------------ raw body

    /** A change to the body's bytes, after the tree was written out. */
    sealed interface RawMutation permits Intact, DuplicateKey, Truncate, RandomBytes, EmptyBody, ReplacedBy,
            DeepNesting, InvalidUtf8, Affix, Padding {
        byte[] apply(byte[] body, JsonNode tree);
    }

    record Intact() implements RawMutation {
        public byte[] apply(byte[] body, JsonNode tree) {
            return body;
        }
    }

    /** A top-level key given twice (with the same value). */
    record DuplicateKey(int which) implements RawMutation {
        public byte[] apply(byte[] body, JsonNode tree) {
            if (!(tree instanceof ObjectNode object) || object.isEmpty() || body == null) {
                return body;
            }
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.properties());
            Map.Entry<String, JsonNode> field = fields.get(which % fields.size());
            String json = new String(body, StandardCharsets.UTF_8);
            String duplicate = JSON.writeValueAsString(field.getKey()) + ":"
                    + JSON.writeValueAsString(field.getValue()) + ",";
            return ("{" + duplicate + json.substring(1)).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The body cut at a point (per mille of its length). */
    record Truncate(int perMille) implements RawMutation {
        public byte[] apply(byte[] body, JsonNode tree) {
            return body == null ? null : Arrays.copyOf(body, (int) ((long) body.length * perMille / 1000));
        }
    }

    record RandomBytes(byte[] bytes) implements RawMutation {
        public byte[] apply(byte[] body, JsonNode tree) {
            return bytes;
        }

        @Override
        public String toString() {
            return "RandomBytes[" + bytes.length + " bytes: " + hex(bytes) + "]";
        }
    }

    record EmptyBody() implements RawMutation {
        public byte[] apply(byte[] body, JsonNode tree) {
            return new byte[0];
        }
    }

    /** Something else than an object, or broken JSON. */
    record ReplacedBy(String text) implements RawMutation {
        public byte[] apply(byte[] body, JsonNode tree) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "ReplacedBy[" + visible(text) + "]";
        }
    }

    /** An opening bracket or object repeated {@code depth} times, closed or not. */
    record DeepNesting(String opening, int depth, boolean closed) implements RawMutation {
        public byte[] apply(byte[] body, JsonNode tree) {
            String closing = opening.equals("[") ? "]" : "}";
            return (opening.repeat(depth) + (closed ? "1" + closing.repeat(depth) : ""))
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Bytes that are not UTF-8 inside the first string of the body. */
    record InvalidUtf8(int variant) implements RawMutation {
        private static final byte[][] SEQUENCES = {{(byte) 0xff}, {(byte) 0xc3, 0x28}, {(byte) 0xc0, (byte) 0xaf},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xe2, (byte) 0x82}};

        public byte[] apply(byte[] body, JsonNode tree) {
            byte[] sequence = SEQUENCES[variant % SEQUENCES.length];
            if (body == null) {
                return sequence;
            }
            int quote = Math.max(0, indexOf(body, (byte) '"') + 1);
            byte[] result = new byte[body.length + sequence.length];
            System.arraycopy(body, 0, result, 0, quote);
            System.arraycopy(sequence, 0, result, quote, sequence.length);
            System.arraycopy(body, quote, result, quote + sequence.length, body.length - quote);
            return result;
        }
    }

    /** Something before or after the JSON: a byte-order mark, a comment, trailing tokens. */
    record Affix(String text, boolean before) implements RawMutation {
        public byte[] apply(byte[] body, JsonNode tree) {
            String json = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return (before ? text + json : json + text).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Affix[" + visible(text) + ", before=" + before + "]";
        }
    }

    /** Valid JSON padded with whitespace to over 64 KB. */
    record Padding(int length) implements RawMutation {
        public byte[] apply(byte[] body, JsonNode tree) {
            String json = body == null ? "{}" : new String(body, StandardCharsets.UTF_8);
            return (json + " ".repeat(length)).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static Arbitrary<RawMutation> rawMutation() {
        return Arbitraries.frequencyOf(
                Tuple.of(24, Arbitraries.just(new Intact())),
                Tuple.of(2, Arbitraries.integers().between(0, 31).map(DuplicateKey::new)),
                Tuple.of(2, Arbitraries.integers().between(0, 999).map(Truncate::new)),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(3000).map(RandomBytes::new)),
                Tuple.of(1, Arbitraries.just(new EmptyBody())),
                Tuple.of(1, Arbitraries.of("[]", "null", "42", "\"x\"", "true", "{}", "[{}]", "{\"a\":", "}", "{}{}",
                                           " ", "{\"minutes\":NaN}", "{\"minutes\":Infinity}", "{'reason':'x'}",
                                           "{reason:\"x\"}", "{\"reason\":\"x\",}", "\u0000")
                                       .map(ReplacedBy::new)),
                Tuple.of(1, Combinators.combine(Arbitraries.of("[", "{\"a\":"),
                                                Arbitraries.integers().between(100, 20_000),
                                                Arbitraries.of(true, false))
                                       .as(DeepNesting::new)),
                Tuple.of(1, Arbitraries.integers().between(0, 5).map(InvalidUtf8::new)),
                Tuple.of(1, Combinators.combine(Arbitraries.of("\ufeff", "/* c */", "// c\n", "x", ",", "}", "{}",
                                                               "\u0000", "\n\n\n"),
                                                Arbitraries.of(true, false))
                                       .as(Affix::new)),
                Tuple.of(1, Arbitraries.integers().between(60_000, 100_000).map(Padding::new)));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Enrolls a patient (with consent, or not) through the API, as the set-up and fresh subjects need. */
    private static String enroll(String patientId, boolean withConsent) {
        assertThat(postValid(PATIENTS, PatientMother.enrollment(patientId))).as("enrollment").isEqualTo(201);
        if (withConsent) {
            assertThat(postValid(PATIENTS + "/" + patientId + "/consents", PatientMother.consent()))
                    .as("consent").isEqualTo(201);
        }
        return patientId;
    }

    /** A valid request of the set-up, as {@value #USER} with every role in the fuzzing practice; its status. */
    private static int postValid(String path, String json) {
        Map<String, String> headers = Map.of("Content-Type", "application/json",
                                             "Authorization", new Valid().header(PRACTICE));
        return post(path, headers, json.getBytes(StandardCharsets.UTF_8)).status();
    }

    private static String percentEncode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }

    /** The practice a path names, decoded as the service decodes it, so that the token may act for it. */
    private static String percentDecode(String segment) {
        byte[] bytes = new byte[segment.length()];
        int length = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && i + 2 < segment.length() && HexFormat.isHexDigit(segment.charAt(i + 1))
                    && HexFormat.isHexDigit(segment.charAt(i + 2))) {
                bytes[length++] = (byte) HexFormat.fromHexDigits(segment, i + 1, i + 3);
                i += 2;
            } else {
                bytes[length++] = (byte) c;
            }
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Text for a report: control and non-ASCII characters as escapes, long text shortened. */
    private static String visible(String text) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "...(" + text.length() + " chars)" : text;
        return shown.chars().mapToObj(c -> c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                : String.format("\\u%04x", c)).collect(Collectors.joining());
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String statusLabel(int status) {
        return status / 100 == 2 ? "2xx" : String.valueOf(status);
    }

    /** Short hex of random bytes for a report. */
    private static String hex(byte[] bytes) {
        String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 16));
        return bytes.length > 16 ? hex + "..." : hex;
    }

    private static boolean isProblem(String contentType) {
        try {
            return MediaType.parseMediaType(contentType).equalsTypeAndSubtype(MediaType.APPLICATION_PROBLEM_JSON);
        } catch (IllegalArgumentException notAMediaType) {
            return false;
        }
    }
}
