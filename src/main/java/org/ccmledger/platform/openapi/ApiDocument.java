package org.ccmledger.platform.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.ccmledger.platform.security.AccessPolicy;
import org.ccmledger.platform.security.BreakGlass;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The OpenAPI 3.1 document at {@code /v3/api-docs}: springdoc describes the paths, parameters and bodies from the
 * controllers; this adds what they cannot say: the service version, contact, licence, the server, the bearer scheme,
 * and for every operation of {@link ApiOperations} its {@code operationId}, tag, parameter descriptions, success status
 * with an example from a real test run for each media type it answers (content negotiation), and every problem it may
 * answer ({@code application/problem+json}, the shared {@code Problem} schema, the {@code code} values as text and as
 * {@code x-problem-codes}).
 *
 * <p>The document is committed as {@code docs/openapi.json}; a test fails when the two differ, and the Java client the
 * tests use is generated from that file at build time.
 */
@Configuration
class ApiDocument {

    static final String BEARER = "bearer";
    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = "application/problem+json";
    /** The extension of a problem response that lists the {@code code} values it may carry. */
    static final String CODES = "x-problem-codes";

    private static final Map<Integer, String> MEANING = Map.ofEntries(
            Map.entry(400, "Malformed request: JSON, a field, a path or query parameter, or the Accept header"),
            Map.entry(401, "No bearer token, or one that is not valid (WWW-Authenticate: Bearer)"),
            Map.entry(403, "The token's roles or practices do not allow this"),
            Map.entry(404, "Not found"),
            Map.entry(406, "The Accept header admits no representation this operation answers"),
            Map.entry(409, "Conflict: a duplicate or concurrent write, or a request with the same Idempotency-Key "
                    + "still running; nothing was written"),
            Map.entry(413, "The request body is over the limit"),
            Map.entry(415, "The request's Content-Type is not one this operation reads"),
            Map.entry(422, "A CCM rule refused it (`rule` names it), or the Idempotency-Key was used with another "
                    + "request; nothing was written"),
            Map.entry(500, "An unexpected failure; the problem names nothing of the request"),
            Map.entry(503, "An event or stored file the answer needs failed verification on read "
                    + "(code LEDGER_INTEGRITY with globalIndex); nothing was done with it"));

    @Bean
    OpenAPI ccmLedgerOpenApi(ObjectProvider<BuildProperties> build,
                             @Value("${ccm.api.contact.name:ccm-ledger maintainers}") String contactName,
                             @Value("${ccm.api.contact.url:}") String contactUrl,
                             @Value("${ccm.api.contact.email:}") String contactEmail,
                             @Value("${ccm.api.license.name:}") String licenseName,
                             @Value("${ccm.api.license.identifier:}") String licenseIdentifier) {
        BuildProperties properties = build.getIfAvailable();
        String version = properties == null ? "unknown" : properties.getVersion();
        Contact contact = new Contact().name(contactName);
        if (!contactUrl.isBlank()) {
            contact.url(contactUrl);
        }
        if (!contactEmail.isBlank()) {
            contact.email(contactEmail);
        }
        License license = new License().name(licenseName);
        if (!licenseIdentifier.isBlank()) {
            license.identifier(licenseIdentifier);
        }
        List<Tag> tags = new ArrayList<>();
        ApiOperations.TAGS.forEach((name, description) -> tags.add(new Tag().name(name).description(description)));
        return new OpenAPI()
                .info(new Info().title("ccm-ledger").version(version).contact(contact).license(license)
                                .description("Event-sourced audit ledger for Medicare Chronic Care Management. "
                                        + "Every request needs a bearer token (JWT); roles and the endpoint x role "
                                        + "matrix: docs/security.md. Errors are RFC 9457 problem responses with "
                                        + "`code` and, where a CCM rule refused, `rule`: docs/api.md."))
                .servers(List.of(new Server().url("/").description("this service")))
                .tags(tags)
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                                                        .scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** RFC 9457 with this service's members. */
    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema().format("uri")
                .description("urn:ccm-ledger:problem:<code>, or about:blank"));
        properties.put("title", new StringSchema().description("the code, or the status's reason phrase"));
        properties.put("status", new IntegerSchema().description("the HTTP status"));
        properties.put("detail", new StringSchema().description("what is wrong, naming the field; never patient data"));
        properties.put("instance", new StringSchema().format("uri")
                .description("urn:ccm-ledger:request:<id>: the request, never its path"));
        properties.put("code", new StringSchema()
                .description("what refused it; the operation's response lists the values it may carry"));
        properties.put("rule", new StringSchema()
                .description("the CCM rule that refused it (R1..R19, P1..P4), on a 422 a rule decided"));
        properties.put("field", new StringSchema().description("the field that is wrong, where one is named"));
        properties.put("line", new IntegerSchema().description("the line of an uploaded file that is wrong"));
        properties.put("missing", new ArraySchema().items(new StringSchema())
                .description("the fields a practice profile lacks for an export"));
        properties.put("erasableFrom", new StringSchema().format("date")
                .description("when the retention period ends (RETENTION_PERIOD)"));
        properties.put("globalIndex", new IntegerSchema().format("int64")
                .description("the ledger index that failed verification (LEDGER_INTEGRITY)"));
        return new ObjectSchema().description("An RFC 9457 problem (application/problem+json)")
                                 .properties(properties);
    }

    /**
     * The success answers of a real test run, by operationId and media type, each an OpenAPI Example object
     * ({@code summary}, {@code value}; a trimmed one says so in its summary, a binary one has a {@code description}
     * instead of a value): src/main/resources/openapi/examples.json, written by ApiContractCoverageTest (docs/api.md
     * says how to refresh it).
     */
    static final String EXAMPLES = "openapi/examples.json";
    /** The name of the one example of each media type of a success response. */
    static final String TEST_RUN = "testRun";

    @Bean
    OpenApiCustomizer apiOperationContracts() {
        Map<String, Map<String, Example>> examples = examples();
        return api -> apply(api, examples);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Example>> examples() {
        Map<String, Map<String, Map<String, Object>>> read;
        try (java.io.InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(EXAMPLES)) {
            read = in == null ? Map.of() : new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, Map.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + EXAMPLES, e);
        }
        Map<String, Map<String, Example>> examples = new TreeMap<>();
        read.forEach((operation, byType) -> byType.forEach((type, fields) -> {
            Example example = new Example().summary((String) fields.get("summary"));
            if (fields.containsKey("description")) {
                example.description((String) fields.get("description"));
            }
            if (fields.containsKey("value")) {
                example.value(fields.get("value"));
            }
            examples.computeIfAbsent(operation, o -> new TreeMap<>()).put(type, example);
        }));
        return examples;
    }

    /** Writes every operation's contract into the document springdoc built. */
    static void apply(OpenAPI api, Map<String, Map<String, Example>> examples) {
        if (api.getComponents() == null) {
            api.components(new Components());
        }
        // here rather than in the bean: springdoc replaces the schemas with those it resolves from the controllers
        api.getComponents().addSchemas(PROBLEM, problemSchema());
        MEANING.forEach((status, meaning) -> api.getComponents().addResponses(shared(status),
                                                                                problemResponse(status, List.of())));
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                ApiOperations.find(HttpMethod.valueOf(method.name()), path)
                             .ifPresent(contract -> apply(contract, operation,
                                                             examples.getOrDefault(contract.id(), Map.of())))));
    }

    private static void apply(ApiOperation contract, Operation operation, Map<String, Example> examples) {
        boolean open = AccessPolicy.PUBLIC.contains(contract.path());
        operation.operationId(contract.id()).tags(List.of(contract.tag())).summary(contract.summary());
        if (!contract.description().isEmpty()) {
            operation.description(contract.description());
        }
        if (open) {
            operation.security(List.of());
        }
        if (operation.getParameters() != null) {
            operation.getParameters().forEach(parameter -> contract.describe(parameter.getName())
                                                                   .ifPresent(parameter::description));
        }
        if (emergencyReadable(contract)) {
            operation.addParametersItem(new io.swagger.v3.oas.models.parameters.HeaderParameter()
                    .name(BreakGlass.HEADER).required(false).schema(new StringSchema().minLength(10).maxLength(500))
                    .description("Emergency access (break the glass): the reason, 10-500 printable characters. Lets "
                            + "a user whose role does not open this record read it when the practice's profile "
                            + "allows one of their roles (`breakGlassRoles`); recorded in the access log with the "
                            + "reason and listed for review (`GET …/audit/break-glass`)."));
        }
        if (contract.emptyBody()) {
            operation.requestBody(new RequestBody().required(false)
                    .description("Takes no input: send no body or the empty object {}")
                    .content(new Content().addMediaType("application/json", new MediaType()
                            .schema(new ObjectSchema().maxProperties(0)))));
        }
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        ApiResponses ordered = new ApiResponses();
        ApiResponse success = responses.get("200");
        if (success == null) {
            success = new ApiResponse();
        }
        if (success.getContent() != null && success.getContent().containsKey("*/*")) {
            // a handler that names no media type answers JSON (the codecs' first choice)
            MediaType any = success.getContent().remove("*/*");
            success.getContent().addMediaType("application/json", any);
        }
        success.description(contract.success() == 201 ? "Recorded" : "OK");
        if (success.getContent() != null) {
            success.getContent().forEach((type, media) -> describe(type, media, examples.get(type)));
        }
        ordered.addApiResponse(String.valueOf(contract.success()), success);
        for (Map.Entry<Integer, List<String>> problem : problems(contract, operation, open).entrySet()) {
            ordered.addApiResponse(String.valueOf(problem.getKey()), problem.getValue().isEmpty()
                    ? new ApiResponse().$ref("#/components/responses/" + shared(problem.getKey()))
                    : problemResponse(problem.getKey(), problem.getValue()));
        }
        operation.responses(ordered);
    }

    /**
     * A success representation: what its schema cannot say by itself (a FHIR bundle, a stream of lines, a binary
     * file), and its example from a test run.
     */
    private static void describe(String type, MediaType media, Example example) {
        switch (type) {
            case "application/fhir+json" -> media.schema(new ObjectSchema().description(
                    "A FHIR R4 `Bundle` of type collection (the operation's description names its resources)"));
            case "application/pdf" -> media.schema(new StringSchema().format("binary").description(
                    "A PDF document, for people to read; the same facts as the JSON representation"));
            case "application/x-ndjson" -> {
                if (media.getSchema() != null) {
                    media.getSchema().description("Streamed as NDJSON: one JSON value per line, each an item of "
                            + "this array, written as it is produced");
                }
            }
            case "text/csv" -> media.schema(new StringSchema().description(
                    "CSV (RFC 4180): a header line, then one record per line"));
            case "application/edi-x12" -> media.schema(new StringSchema().description(
                    "An ASC X12 005010X222A1 (837P) interchange: segments ended by `~`, elements by `*`"));
            case "application/x-pem-file" -> media.schema(new StringSchema().description(
                    "The key as PEM text (RFC 7468)"));
            default -> {
            }
        }
        if (example != null) {
            media.examples(Map.of(TEST_RUN, example));
        }
    }

    /** The operation's own problems and those every operation shares, by status. */
    static Map<Integer, List<String>> problems(ApiOperation contract, Operation operation, boolean open) {
        Map<Integer, List<String>> all = new TreeMap<>();
        all.put(400, List.of());
        if (!open) {
            all.put(401, List.of());
            all.put(403, List.of());
        }
        all.put(406, List.of());
        boolean body = operation.getRequestBody() != null || contract.emptyBody();
        if (body) {
            all.put(413, List.of());
            all.put(415, List.of());
        }
        if (contract.method() == HttpMethod.POST && contract.path().startsWith("/api/v1/practices/")) {
            // Idempotency-Key: still running (409), used with another request (422)
            all.put(409, List.of());
            all.put(422, List.of());
        }
        if (contract.path().contains("{practiceId}")) {
            all.merge(400, List.of("INVALID_PRACTICE_ID"), ApiDocument::union);
        }
        if (contract.path().contains("{patientId}")) {
            all.merge(400, List.of("INVALID_PATIENT_ID"), ApiDocument::union);
        }
        if (emergencyReadable(contract)) {
            all.merge(400, List.of("INVALID_BREAK_GLASS_REASON"), ApiDocument::union);
            all.merge(403, List.of("BREAK_GLASS_NOT_ALLOWED"), ApiDocument::union);
        }
        if (contract.method() != HttpMethod.GET && contract.path().startsWith("/api/v1/practices/")) {
            // a write that lost a race with another (ProblemResponses)
            all.merge(409, List.of("CONCURRENT_MODIFICATION", "ALREADY_EXISTS"), ApiDocument::union);
        }
        all.put(500, List.of());
        all.put(503, List.of("LEDGER_INTEGRITY"));
        contract.problems().forEach((status, codes) -> all.merge(status, codes, ApiDocument::union));
        return all;
    }

    /** A read of one patient's record, which a caller may open in an emergency ({@link BreakGlass}). */
    private static boolean emergencyReadable(ApiOperation contract) {
        return contract.method() == HttpMethod.GET && contract.path().startsWith(PATIENT_PATHS);
    }

    private static final String PATIENT_PATHS = "/api/v1/practices/{practiceId}/patients/{patientId}";

    private static List<String> union(List<String> a, List<String> b) {
        List<String> merged = new ArrayList<>(a);
        b.stream().filter(code -> !merged.contains(code)).forEach(merged::add);
        return merged;
    }

    /** The name of the shared response of a status whose problem carries no particular code. */
    private static String shared(int status) {
        return "Problem" + status;
    }

    private static ApiResponse problemResponse(int status, List<String> codes) {
        String description = MEANING.getOrDefault(status, "Problem");
        if (!codes.isEmpty()) {
            description += ". code: " + String.join(", ", codes);
        }
        ApiResponse response = new ApiResponse().description(description).content(new Content().addMediaType(
                PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
        if (!codes.isEmpty()) {
            response.addExtension(CODES, codes);
        }
        return response;
    }
}
