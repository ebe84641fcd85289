package org.ccmledger.platform.problem;

/**
 * A command or query refused by a rule of the domain. Carries an error code and, where one applies, the id of the
 * rule in {@code ccm-rules.md}. The message never contains patient data: it names the rule and the field.
 */
public class Refusal extends RuntimeException {

    /** How a refusal maps onto HTTP: 400, 403, 404, 409, 422, or 503 for stored data found damaged. */
    public enum Kind { MALFORMED, FORBIDDEN, NOT_FOUND, CONFLICT, RULE, UNAVAILABLE }

    private final Kind kind;
    private final String code;
    private final String rule;
    private final java.util.Map<String, Object> details;

    public Refusal(Kind kind, String code, String rule, String message) {
        this(kind, code, rule, message, java.util.Map.of());
    }

    private Refusal(Kind kind, String code, String rule, String message, java.util.Map<String, Object> details) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.rule = rule;
        this.details = details;
    }

    /**
     * The same refusal with one more member for the problem response, such as the {@code line} and {@code field} of
     * an uploaded file: values that name where the input is wrong, never patient data.
     */
    public Refusal with(String name, Object value) {
        java.util.Map<String, Object> more = new java.util.LinkedHashMap<>(details);
        more.put(name, value);
        return new Refusal(kind, code, rule, getMessage(), java.util.Collections.unmodifiableMap(more));
    }

    /** The extra members of the problem response, in order. */
    public java.util.Map<String, Object> details() {
        return details;
    }

    public static Refusal rule(String code, String rule, String message) {
        return new Refusal(Kind.RULE, code, rule, message);
    }

    /** A value that is not well formed (an id, an NPI): the request is malformed, no rule is involved. */
    public static Refusal malformed(String code, String message) {
        return new Refusal(Kind.MALFORMED, code, null, message);
    }

    /** The caller's token does not allow this (another person's time entry, a role the action needs). */
    public static Refusal forbidden(String code, String message) {
        return new Refusal(Kind.FORBIDDEN, code, null, message);
    }

    public static Refusal notFound(String code, String message) {
        return new Refusal(Kind.NOT_FOUND, code, null, message);
    }

    public static Refusal conflict(String code, String message) {
        return new Refusal(Kind.CONFLICT, code, null, message);
    }

    /**
     * What the answer needs is stored but does not match what the ledger recorded of it (a kept file whose SHA-256
     * differs): nothing is served; an operator restores it from a backup.
     */
    public static Refusal unavailable(String code, String message) {
        return new Refusal(Kind.UNAVAILABLE, code, null, message);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** The rule id (R1…R19, P1…P4), or {@code null}. */
    public String rule() {
        return rule;
    }
}
