package org.ccmledger.onboarding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.ccmledger.onboarding.api.ImportableFact;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientId;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.Problems;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an import's lines (no I/O): checks a line's own fields ({@code line}, {@code kind}, {@code patientId},
 * {@code recordedAt}, {@code body}), reads its body as its kind's API request body and turns it into the command
 * the API would send, or refuses it with the problem the API would answer. Never echoes a value of the line.
 */
@Component
class ImportLineReader {

    private static final Pattern LINE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Set<String> LINE_FIELDS = Set.of("line", "kind", "patientId", "recordedAt", "body");

    private final Map<String, ImportableFact<?>> facts;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    ImportLineReader(List<ImportableFact<?>> facts, JsonMapper json) {
        this.facts = facts.stream().collect(Collectors.toUnmodifiableMap(ImportableFact::kind, Function.identity()));
        this.json = json;
    }

    /**
     * A line of a practice's import: the line and its command, or its refusal when it cannot be read or its body is
     * not what its kind takes.
     */
    Read read(String practiceId, long number, String raw) {
        try {
            return new Read(number, parse(practiceId, raw), null);
        } catch (LineRefused refused) {
            return new Read(number, null, new LineOutcome(number, refused.lineId, refused.kind, refused.patientId,
                                                          LineOutcome.Status.REFUSED,
                                                          LineOutcome.problem(Problems.of(
                                                                  refused.getCause()))));
        }
    }

    private ImportLine parse(String practiceId, String raw) {
        String lineId = null;
        String kind = null;
        String patientId = null;
        try {
            JsonNode node;
            try {
                node = json.readTree(raw);
            } catch (JacksonException e) {
                throw Refusal.malformed("MALFORMED_LINE", "the line is not a JSON object");
            }
            if (node == null || !node.isObject()) {
                throw Refusal.malformed("MALFORMED_LINE", "the line is not a JSON object");
            }
            for (String name : node.propertyNames()) {
                if (!LINE_FIELDS.contains(name)) {
                    throw Refusal.malformed("MALFORMED_LINE", "unknown field '" + name + "' (a line has "
                            + String.join(", ", LINE_FIELDS.stream().sorted().toList()) + ")");
                }
            }
            lineId = text(node, "line");
            if (!LINE_ID.matcher(lineId).matches()) {
                String bad = lineId;
                lineId = null;
                throw Refusal.malformed("MALFORMED_LINE", "field 'line' must be 1-128 letters, digits or ._:- "
                        + "(" + bad.length() + " characters given)");
            }
            kind = text(node, "kind");
            ImportableFact<?> fact = facts.get(kind);
            if (fact == null) {
                String unknown = kind;
                kind = null;
                throw Refusal.malformed("UNKNOWN_KIND", "field 'kind' must be one of "
                        + facts.keySet().stream().sorted().toList() + " (" + unknown.length()
                        + " characters given)");
            }
            patientId = text(node, "patientId");
            new PatientId(patientId);
            Instant recordedAt = recordedAt(text(node, "recordedAt"));
            JsonNode body = node.get("body");
            if (body == null || !body.isObject()) {
                throw Refusal.malformed("MALFORMED_LINE", "field 'body' must be an object: the API's request "
                        + "body for this kind");
            }
            EnrollmentId enrollment = EnrollmentId.of(practiceId, patientId);
            Object command = command(fact, enrollment, body);
            return new ImportLine(lineId, kind, patientId, recordedAt, fact, enrollment, command, sha256(raw));
        } catch (RuntimeException e) {
            throw new LineRefused(lineId, kind, patientId, e);
        }
    }

    private <B> Object command(ImportableFact<B> fact, EnrollmentId enrollment, JsonNode body) {
        B read;
        try {
            read = json.treeToValue(body, fact.bodyType());
        } catch (JacksonException e) {
            throw Refusal.malformed("MALFORMED_BODY", "the body is not valid for kind '" + fact.kind()
                    + "' (malformed, wrong type, unknown field or unknown value)" + at(e));
        }
        return fact.command(enrollment, read);
    }

    private Instant recordedAt(String value) {
        Instant at;
        try {
            at = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw Refusal.malformed("MALFORMED_LINE", "field 'recordedAt' must be an ISO-8601 date-time with "
                    + "offset, when the product the practice came from recorded the fact");
        }
        if (at.isAfter(clock.instant())) {
            throw Refusal.malformed("MALFORMED_LINE", "field 'recordedAt' is in the future");
        }
        return at;
    }

    /** Where in the body Jackson stopped: field names only, never a value. */
    private static String at(JacksonException e) {
        String path = e.getPath().stream()
                       .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                       .collect(Collectors.joining("."));
        return path.isEmpty() ? "" : " at body." + path.replace(".[", "[");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw Refusal.malformed("MALFORMED_LINE", "field '" + field + "' is required (a string)");
        }
        return value.asString();
    }

    static String sha256(String raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                         .digest(raw.strip().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A line as read: the line to send, or the outcome it already has. */
    record Read(long number, ImportLine line, LineOutcome refused) {

        /** The lane it runs in: its patient's, so that a patient's lines keep their order. */
        int lane() {
            return line == null ? 0 : Math.floorMod(line.patientId().hashCode(), HistoryImport.LANES);
        }
    }

    /** A line read and turned into its command, not yet sent. */
    record ImportLine(String lineId, String kind, String patientId, Instant recordedAt, ImportableFact<?> fact,
                      EnrollmentId enrollment, Object command, String hash) {

        LineOutcome outcome(long number, LineOutcome.Status status, ProblemDetail problem) {
            return new LineOutcome(number, lineId, kind, patientId, status, problem == null ? null
                    : LineOutcome.problem(problem));
        }

        LineOutcome refused(long number, ProblemDetail problem) {
            return outcome(number, LineOutcome.Status.REFUSED, problem);
        }
    }

    /** A line refused before it was sent, with what of it could be read. */
    private static final class LineRefused extends RuntimeException {

        private final String lineId;
        private final String kind;
        private final String patientId;

        LineRefused(String lineId, String kind, String patientId, RuntimeException cause) {
            super(null, cause, false, false);
            this.lineId = lineId;
            this.kind = kind;
            this.patientId = patientId;
        }
    }
}
