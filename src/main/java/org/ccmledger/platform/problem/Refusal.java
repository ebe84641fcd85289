package org.ccmledger.platform.problem;

/**
 * A command or query refused by a rule of the domain. Carries an error code and, where one applies, the id of the
 * rule in {@code ccm-rules.md}. The message never contains patient data: it names the rule and the field.
 */
public class Refusal extends RuntimeException {

    /** How a refusal maps onto HTTP: 400, 403, 404, 409 or 422. */
    public enum Kind { MALFORMED, FORBIDDEN, NOT_FOUND, CONFLICT, RULE }

    private final Kind kind;
    private final String code;
    private final String rule;

    public Refusal(Kind kind, String code, String rule, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.rule = rule;
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
