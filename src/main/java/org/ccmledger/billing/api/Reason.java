package org.ccmledger.billing.api;

import java.util.Objects;

/**
 * Why a family was billed, lost or failed, naming the rule or policy of ccm-rules.md that decided it.
 *
 * @param rule    a rule or policy id, e.g. {@code "R2"}, {@code "P1"}
 * @param message what happened, with the numbers, e.g. {@code "T=39 below 60 minutes for 99487"}
 */
public record Reason(String rule, String message) {

    public Reason {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return rule + ": " + message;
    }
}
