package org.ccmledger.platform.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.ccmledger.platform.security.BreakGlass;
import org.springframework.http.HttpMethod;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;

/**
 * The problems an operation of the API may answer, as the OpenAPI document states them: the shared RFC 9457
 * {@code Problem} schema ({@code application/problem+json}), a shared response per status, and for each operation the
 * statuses every operation shares, those its path and method bring (ids, break-glass reads, Idempotency-Key, write
 * races) and its own from {@link ApiOperations}, with the {@code code} values as text and as {@code x-problem-codes}.
 */
final class ApiProblems {

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

    private ApiProblems() {
    }

    /** The shared schema and the shared response of each status, in the document's components. */
    static void addShared(Components components) {
        // added when the document is customized: springdoc replaces the schemas with those it resolves
        components.addSchemas(PROBLEM, problemSchema());
        MEANING.keySet().forEach(status -> components.addResponses(shared(status), problemResponse(status,
                                                                                                 List.of())));
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

    /** The operation's own problems and those every operation shares, by status. */
    static Map<Integer, List<String>> of(ApiOperation contract, Operation operation, boolean open) {
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
            all.merge(400, List.of("INVALID_PRACTICE_ID"), ApiProblems::union);
        }
        if (contract.path().contains("{patientId}")) {
            all.merge(400, List.of("INVALID_PATIENT_ID"), ApiProblems::union);
        }
        if (emergencyReadable(contract)) {
            all.merge(400, List.of("INVALID_BREAK_GLASS_REASON"), ApiProblems::union);
            all.merge(403, List.of("BREAK_GLASS_NOT_ALLOWED"), ApiProblems::union);
        }
        if (contract.method() != HttpMethod.GET && contract.path().startsWith("/api/v1/practices/")) {
            // a write that lost a race with another (ProblemResponses)
            all.merge(409, List.of("CONCURRENT_MODIFICATION", "ALREADY_EXISTS"), ApiProblems::union);
        }
        all.put(500, List.of());
        all.put(503, List.of("LEDGER_INTEGRITY"));
        contract.problems().forEach((status, codes) -> all.merge(status, codes, ApiProblems::union));
        return all;
    }

    /** A read of one patient's record, which a caller may open in an emergency ({@link BreakGlass}). */
    static boolean emergencyReadable(ApiOperation contract) {
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

    /** A status's problem response: the shared one when no particular code is named, else its own. */
    static ApiResponse response(int status, List<String> codes) {
        return codes.isEmpty() ? new ApiResponse().$ref("#/components/responses/" + shared(status))
                : problemResponse(status, codes);
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
