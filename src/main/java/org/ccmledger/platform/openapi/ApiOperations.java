package org.ccmledger.platform.openapi;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.http.HttpMethod;

/**
 * Every operation of the API with its contract: the one place that declares operation ids, tags, success statuses
 * and the problems each operation may answer with their {@code code} values, in three tables by who uses them
 * ({@link CareRecordOperations}, {@link BillingOperations}, {@link OversightOperations}), one row per operation.
 * {@link ApiDocument} writes it into {@code /v3/api-docs}; the tags' and parameters' descriptions are
 * {@link ApiVocabulary}'s.
 *
 * <p>A new endpoint needs a row in its part's table (besides its rule in {@code AccessPolicy.RULES}):
 * {@code ApiContractTest} fails for an operation of the document without one, and {@code ApiContractCoverageTest} for
 * a status or code the HTTP tests observed that its row does not list. Then refresh {@code docs/openapi.json} (see docs/api.md, "The OpenAPI
 * document").
 */
public final class ApiOperations {

    static final String PRACTICE = "/api/v1/practices/{practiceId}";
    static final String PATIENT = PRACTICE + "/patients/{patientId}";
    static final String LEDGER = "/api/v1/ledger";
    static final String REFERENCE = "/api/v1/reference";

    /** Every operation, grouped by tag: the record of care, billing, then oversight (one table per part). */
    public static final List<ApiOperation> ALL = Stream.of(CareRecordOperations.ALL, BillingOperations.ALL,
                                                           OversightOperations.ALL)
            .flatMap(List::stream).toList();

    private ApiOperations() {
    }

    /** The contract of {@code method path}, if the table has one. */
    public static Optional<ApiOperation> find(HttpMethod method, String path) {
        return ALL.stream().filter(op -> op.method().equals(method) && op.path().equals(path)).findFirst();
    }
}
