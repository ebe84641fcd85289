package org.ccmledger.platform.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
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
 * answer ({@link ApiProblems}).
 *
 * <p>The document is committed as {@code docs/openapi.json}; a test fails when the two differ, and the Java client the
 * tests use is generated from that file at build time.
 */
@Configuration
class ApiDocument {

    static final String BEARER = "bearer";

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
        ApiVocabulary.TAGS.forEach((name, description) -> tags.add(new Tag().name(name).description(description)));
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
        ApiProblems.addShared(api.getComponents());
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
        if (ApiProblems.emergencyReadable(contract)) {
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
        ApiProblems.of(contract, operation, open).forEach((status, codes) -> ordered.addApiResponse(
                String.valueOf(status), ApiProblems.response(status, codes)));
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
}
