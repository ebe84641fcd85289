package org.ccmledger.onboarding;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.ProblemDetail;

/**
 * One line of an import's report: which line (its number in the file and its id), what it was, and what became of it:
 * {@code ACCEPTED} (its event is in the ledger), {@code DUPLICATE} (written by an earlier import, nothing written now)
 * or {@code REFUSED} with the problem the API would have answered (status, code, rule, detail).
 */
record LineOutcome(long lineNumber, String line, String kind, String patientId, Status status,
                   Map<String, Object> problem) {

    enum Status { ACCEPTED, DUPLICATE, REFUSED }

    static Map<String, Object> problem(ProblemDetail detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("status", detail.getStatus());
        if (detail.getTitle() != null) {
            problem.put("title", detail.getTitle());
        }
        if (detail.getDetail() != null) {
            problem.put("detail", detail.getDetail());
        }
        if (detail.getProperties() != null) {
            problem.putAll(detail.getProperties());
        }
        return problem;
    }
}
