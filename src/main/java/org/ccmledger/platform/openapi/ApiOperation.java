package org.ccmledger.platform.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpMethod;

/**
 * The contract of one operation of the API, as {@link ApiOperations} declares it and {@link ApiDocument} writes it into
 * the OpenAPI document: its stable {@code operationId}, its tag, what it does (paging, streaming, representations),
 * its success status, and every problem status it may answer with the {@code code} values each may carry.
 *
 * <p>The statuses every operation shares (400, 401, 403, 406, 500, 503; for a request with a body 413 and 415, for
 * a POST also 409 and 422 of {@code Idempotency-Key}) are added by {@link ApiDocument}; an operation lists only its
 * own, with codes. {@code ApiContractCoverageTest} fails when an HTTP test observes a status or code an operation does
 * not declare.
 *
 * @param method      the HTTP method
 * @param path        the path template as the controller maps it
 * @param id          the {@code operationId}: stable, a verb and a noun in lowerCamelCase; generated clients name
 *                    their methods after it, so it never changes within {@code /api/v1}
 * @param tag         the resource the operation belongs to, one of {@link ApiVocabulary#TAGS}
 * @param summary     one line
 * @param description paging, streaming, representations by {@code Accept}, anything an integrator must know; may be
 *                    empty
 * @param success     the success status (201 for a POST that records something unless said otherwise)
 * @param problems    problem status to the {@code code} values it may carry (empty for a status without codes)
 * @param emptyBody   a command that takes no input: its body is optional and, when sent, the empty object
 *                    {@code {}}
 * @param parameters  descriptions of this operation's parameters whose meaning differs from the shared one of the
 *                    same name ({@link ApiVocabulary#PARAMETERS}), by name
 */
public record ApiOperation(HttpMethod method, String path, String id, String tag, String summary, String description,
                           int success, Map<Integer, List<String>> problems, boolean emptyBody,
                           Map<String, String> parameters) {

    public ApiOperation {
        Map<Integer, List<String>> copy = new LinkedHashMap<>();
        problems.forEach((status, codes) -> copy.put(status, List.copyOf(codes)));
        problems = java.util.Collections.unmodifiableMap(copy);
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    static ApiOperation get(String path, String id, String tag, String summary) {
        return new ApiOperation(HttpMethod.GET, path, id, tag, summary, "", 200, Map.of(), false, Map.of());
    }

    static ApiOperation post(String path, String id, String tag, String summary) {
        return new ApiOperation(HttpMethod.POST, path, id, tag, summary, "", 201, Map.of(), false, Map.of());
    }

    static ApiOperation put(String path, String id, String tag, String summary) {
        return new ApiOperation(HttpMethod.PUT, path, id, tag, summary, "", 200, Map.of(), false, Map.of());
    }

    /** What the parameter {@code name} means for this operation, where the shared description does not fit. */
    ApiOperation parameter(String name, String text) {
        Map<String, String> more = new LinkedHashMap<>(parameters);
        more.put(name, text);
        return new ApiOperation(method, path, id, tag, summary, description, success, problems, emptyBody, more);
    }

    /** The description of the parameter {@code name}: this operation's own, else the shared one, else empty. */
    Optional<String> describe(String name) {
        return Optional.ofNullable(parameters.getOrDefault(name, ApiVocabulary.PARAMETERS.get(name)));
    }

    /** The operation also answers {@code status}, with one of {@code codes} in the problem (none: no code). */
    ApiOperation problem(int status, String... codes) {
        Map<Integer, List<String>> more = new LinkedHashMap<>(problems);
        List<String> merged = new ArrayList<>(more.getOrDefault(status, List.of()));
        for (String code : codes) {
            if (!merged.contains(code)) {
                merged.add(code);
            }
        }
        more.put(status, merged);
        return new ApiOperation(method, path, id, tag, summary, description, success, more, emptyBody, parameters);
    }

    ApiOperation describedAs(String text) {
        return new ApiOperation(method, path, id, tag, summary, text, success, problems, emptyBody, parameters);
    }

    ApiOperation succeedsWith(int status) {
        return new ApiOperation(method, path, id, tag, summary, description, status, problems, emptyBody, parameters);
    }

    ApiOperation takesNoInput() {
        return new ApiOperation(method, path, id, tag, summary, description, success, problems, true, parameters);
    }
}
