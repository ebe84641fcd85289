package org.ccmledger.platform.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.ccmledger.support.HttpTestBase;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document as integrators get it: valid OpenAPI 3.1 by an independent parser (swagger-parser), with the
 * service version, contact, licence, server and bearer scheme; every operation of it declared in {@link ApiOperations}
 * with its problems; and the same as the committed {@code docs/openapi.json}, which the generated client is built
 * from.
 */
class ApiContractTest extends HttpTestBase {

    /** The committed document: what integrators and the generated client read. */
    static final Path SNAPSHOT = Path.of("docs/openapi.json");
    /** {@code -Dccm.openapi.refresh=true} rewrites {@link #SNAPSHOT} from the live document instead of comparing. */
    static final String REFRESH = "ccm.openapi.refresh";
    private static final ObjectMapper JSON = new ObjectMapper();

    private String live() {
        return anonymous().get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                          .expectBody(String.class).returnResult().getResponseBody();
    }

    /** Every message the parser has about the document: none for a valid one. */
    static List<String> problemsOf(String json) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        List<String> messages = new ArrayList<>(result.getMessages() == null ? List.of() : result.getMessages());
        if (result.getOpenAPI() == null) {
            messages.add("not an OpenAPI document");
        }
        return messages;
    }

    @Test
    void theDocumentIsValidOpenApi31() throws IOException {
        String json = live();
        assertThat(JSON.readTree(json).path("openapi").asText()).startsWith("3.1.");
        assertThat(problemsOf(json)).as("swagger-parser's messages on /v3/api-docs").isEmpty();
    }

    /** The check above can fail: the defect the API shipped with (no info.version) is found. */
    @Test
    void theValidatorFindsADocumentWithoutAVersion() throws IOException {
        ObjectNode broken = (ObjectNode) JSON.readTree(live());
        ((ObjectNode) broken.path("info")).remove("version");
        assertThat(problemsOf(JSON.writeValueAsString(broken))).anySatisfy(
                message -> assertThat(message).contains("info.version"));
    }

    @Test
    void theDocumentStatesTheVersionContactLicenceServerAndBearerScheme() throws IOException {
        JsonNode api = JSON.readTree(live());
        // the version the project's pom.xml gives, read here apart from the build-info file the service states
        java.util.regex.Matcher pom = java.util.regex.Pattern
                .compile("<artifactId>ccm-ledger</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("pom.xml")));
        assertThat(pom.find()).isTrue();
        assertThat(api.at("/info/version").asText()).isEqualTo(pom.group(1));
        assertThat(api.at("/info/contact/name").asText()).isNotBlank();
        assertThat(api.at("/info/license/name").asText()).isNotBlank();
        assertThat(api.at("/servers/0/url").asText()).isEqualTo("/");
        assertThat(api.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(api.at("/components/securitySchemes/bearer/bearerFormat").asText()).isEqualTo("JWT");
        assertThat(api.at("/security/0/bearer").isArray()).isTrue();
        assertThat(api.at("/components/schemas/Problem/properties").fieldNames()).toIterable()
                .contains("type", "title", "status", "detail", "instance", "code", "rule", "field");
    }

    /**
     * Every operation the service maps is declared in {@link ApiOperations} (a new endpoint without a row fails here),
     * every row names an operation that exists, and each has its id, tag, success answer and problem answers.
     */
    @Test
    void everyOperationIsDeclaredWithItsProblems() throws IOException {
        JsonNode paths = JSON.readTree(live()).path("paths");
        List<String> undeclared = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            String name = method.getKey().toUpperCase() + " " + path.getKey();
            var contract = ApiOperations.find(org.springframework.http.HttpMethod.valueOf(method.getKey()
                                                                                                 .toUpperCase()),
                                              path.getKey());
            if (contract.isEmpty()) {
                undeclared.add(name);
                return;
            }
            seen.add(name);
            JsonNode operation = method.getValue();
            assertThat(operation.path("operationId").asText()).as(name).isEqualTo(contract.get().id());
            assertThat(operation.path("tags").get(0).asText()).as(name).isEqualTo(contract.get().tag());
            JsonNode responses = operation.path("responses");
            assertThat(responses.has(String.valueOf(contract.get().success()))).as(name + " success").isTrue();
            for (String status : List.of("400", "406", "500")) {
                JsonNode problem = responses.path(status);
                assertThat(problem.path("$ref").asText().startsWith("#/components/responses/")
                                   || problem.at("/content/application~1problem+json/schema/$ref").asText()
                                             .equals("#/components/schemas/Problem"))
                        .as(name + " " + status + " is a problem response").isTrue();
            }
            contract.get().problems().forEach((status, codes) -> {
                JsonNode listed = responses.path(String.valueOf(status)).path(ApiProblems.CODES);
                for (String code : codes) {
                    assertThat(listed.toString()).as(name + " " + status + " codes").contains("\"" + code + "\"");
                }
            });
        }));
        assertThat(undeclared).as("operations without a row in ApiOperations: add one for each "
                                          + "(operationId, tag, summary, problems)").isEmpty();
        List<String> stale = ApiOperations.ALL.stream().map(op -> op.method().name() + " " + op.path())
                                              .filter(op -> !seen.contains(op)).toList();
        assertThat(stale).as("rows of ApiOperations that name no operation of the service").isEmpty();
        assertThat(ApiOperations.ALL.stream().map(ApiOperation::id).distinct().count())
                .as("operationIds are unique").isEqualTo(ApiOperations.ALL.size());
        assertThat(ApiOperations.ALL).allSatisfy(op -> assertThat(ApiVocabulary.TAGS).containsKey(op.tag()));
    }

    /**
     * springdoc names a schema after its class's simple name, and silently merges two classes of one name into one
     * schema (the ledger's verification report and the risk scan's were one empty {@code Report}). Every schema name of
     * the document must belong to one class of the service; another gets {@code @Schema(name = …)}. {@code Problem} is
     * the document's own (ApiDocument), not a class's.
     */
    @Test
    void everySchemaNameBelongsToOneClass() throws IOException {
        JsonNode schemas = JSON.readTree(live()).path("components").path("schemas");
        com.tngtech.archunit.core.domain.JavaClasses classes = new com.tngtech.archunit.core.importer.ClassFileImporter()
                .withImportOption(com.tngtech.archunit.core.importer.ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.ccmledger");
        Map<String, List<String>> byName = new java.util.TreeMap<>();
        for (com.tngtech.archunit.core.domain.JavaClass type : classes) {
            String name = type.tryGetAnnotationOfType(io.swagger.v3.oas.annotations.media.Schema.class)
                              .map(io.swagger.v3.oas.annotations.media.Schema::name).filter(n -> !n.isEmpty())
                              .orElse(type.getSimpleName());
            byName.computeIfAbsent(name, n -> new ArrayList<>()).add(type.getName());
        }
        List<String> ambiguous = new ArrayList<>();
        schemas.fieldNames().forEachRemaining(name -> {
            List<String> owners = byName.getOrDefault(name, List.of());
            if (owners.size() > 1 && !name.equals(ApiProblems.PROBLEM)) {
                ambiguous.add(name + " " + owners);
            }
        });
        assertThat(ambiguous).as("schema names several classes share: give the API's one @Schema(name = ...)")
                             .isEmpty();
    }

    /**
     * Success answers that may go without an example, by operationId and media type, each with why. None today: every
     * success answer of the API has a body some test reads (a binary one is described instead of shown).
     */
    static final Map<String, String> WITHOUT_EXAMPLE = Map.of();

    /**
     * Every representation of every operation's success answer (each media type content negotiation can choose) has
     * an example from a real test run ({@code src/main/resources/openapi/examples.json}, docs/api.md says how to
     * refresh it): a value, or for a binary body a description.
     */
    @Test
    void everySuccessRepresentationHasAnExampleFromATestRun() throws IOException {
        JsonNode paths = JSON.readTree(live()).path("paths");
        List<String> missing = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger representations = new java.util.concurrent.atomic.AtomicInteger();
        paths.forEach(path -> path.forEach(operation -> operation.path("responses").fields().forEachRemaining(
                response -> response.getValue().path("content").fields().forEachRemaining(media -> {
                    if (!response.getKey().startsWith("2")) {
                        return;
                    }
                    representations.incrementAndGet();
                    JsonNode example = media.getValue().path("examples").path(ApiDocument.TEST_RUN);
                    boolean shown = example.has("value")
                            || example.path("description").asText().contains("binary")
                               && media.getValue().at("/schema/format").asText().equals("binary");
                    String name = operation.path("operationId").asText() + " " + media.getKey();
                    if (!shown && !WITHOUT_EXAMPLE.containsKey(name)) {
                        missing.add(name);
                    }
                }))));
        assertThat(representations.get()).as("success representations in the document").isGreaterThan(55);
        assertThat(missing).as("success answers without an example: run the tests that call them (./mvnw test), copy "
                                       + "examples.json of that run to src/main/resources/openapi/ (docs/api.md)")
                           .isEmpty();
    }

    /** Every path and query parameter says what it means (ApiVocabulary.PARAMETERS, or the operation's row). */
    @Test
    void everyParameterIsDescribed() throws IOException {
        JsonNode paths = JSON.readTree(live()).path("paths");
        List<String> undescribed = new ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method ->
                method.getValue().path("parameters").forEach(parameter -> {
                    if (parameter.path("description").asText().isBlank()) {
                        undescribed.add(method.getValue().path("operationId").asText() + " "
                                                + parameter.path("in").asText() + " "
                                                + parameter.path("name").asText());
                    }
                })));
        assertThat(undescribed).as("parameters without a description: describe them in ApiVocabulary.PARAMETERS, or "
                                           + "in the operation's row (.parameter) where the meaning differs")
                               .isEmpty();
    }

    /** The two commands that take no input say so: an optional body, the empty object. */
    @Test
    void commandsWithoutInputDeclareAnOptionalEmptyBody() throws IOException {
        JsonNode paths = JSON.readTree(live()).path("paths");
        for (String path : List.of("/api/v1/practices/{practiceId}/billing/{month}/close", "/api/v1/ledger/digests")) {
            JsonNode body = paths.path(path).path("post").path("requestBody");
            assertThat(body.path("required").asBoolean(true)).as(path).isFalse();
            assertThat(body.at("/content/application~1json/schema/maxProperties").asInt(-1)).as(path).isZero();
        }
    }

    /**
     * {@code docs/openapi.json} is the live document: what integrators read and the client the tests use is
     * generated from. After a change of the API: {@code ./mvnw test -Dtest=ApiContractTest -Dccm.openapi.refresh=true}
     * rewrites it (then commit it, and re-run to compile the client from it).
     */
    @Test
    void theCommittedDocumentIsTheLiveOne() throws IOException {
        JsonNode live = JSON.readTree(live());
        String pretty = pretty(live);
        Path written = Path.of("target/openapi/ccm-ledger.json");
        Files.createDirectories(written.getParent());
        Files.writeString(written, pretty, StandardCharsets.UTF_8);
        if (Boolean.getBoolean(REFRESH)) {
            Files.writeString(SNAPSHOT, pretty, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(SNAPSHOT)).as(SNAPSHOT + " exists").isTrue();
        JsonNode committed = JSON.readTree(Files.readString(SNAPSHOT));
        assertThat(committed.equals(live))
                .as("docs/openapi.json differs from the live /v3/api-docs (written to " + written + "). If the API "
                            + "change is intended, refresh it: ./mvnw -o test -Dtest=ApiContractTest "
                            + "-Dccm.openapi.refresh=true -Dsurefire.failIfNoSpecifiedTests=false, review the diff "
                            + "and commit it")
                .isTrue();
    }

    /** Keys sorted, two-space indent, a final newline: a file that diffs line by line. */
    static String pretty(JsonNode node) throws IOException {
        ObjectMapper sorted = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                                                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        return sorted.writeValueAsString(sorted.convertValue(node, Map.class)) + "\n";
    }
}
