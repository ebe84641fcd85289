package org.ccmledger.billing.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The allowed amount of a set of lines: the sum of the amounts that are known, and the codes whose amount is not.
 * A total with unknown codes is incomplete and says so when rendered; it is never presented as a plain number.
 *
 * @param knownPart    sum of the known line amounts, scale 2
 * @param unknownCodes codes of lines whose amount is unknown, in line order; empty when the total is complete
 */
public record Total(BigDecimal knownPart, List<String> unknownCodes) {

    public Total {
        knownPart = Amount.of(knownPart).value().orElseThrow();
        unknownCodes = List.copyOf(unknownCodes);
    }

    public static Total of(List<BillingLine> lines) {
        BigDecimal known = BigDecimal.ZERO;
        List<String> unknown = new ArrayList<>();
        for (BillingLine line : lines) {
            Amount amount = line.lineAmount();
            if (amount.known()) {
                known = known.add(amount.value().orElseThrow());
            } else {
                unknown.add(line.code());
            }
        }
        return new Total(known, unknown);
    }

    public boolean complete() {
        return unknownCodes.isEmpty();
    }

    /** The total as an amount: known only when every line amount is. */
    public Amount amount() {
        return complete() ? Amount.of(knownPart) : Amount.unknown();
    }

    /** {@code "152.35"}, or for an incomplete total e.g. {@code "66.13 + unknown (99439)"}. */
    @Override
    public String toString() {
        return complete() ? knownPart.toPlainString()
                          : knownPart.toPlainString() + " + unknown (" + String.join(", ", unknownCodes) + ")";
    }
}
