package org.ccmledger.billing.rules;

import java.math.BigDecimal;

import org.ccmledger.billing.api.Amount;

/**
 * A code's national non-facility allowed amount for the year, with where it came from. An amount labelled [NF] (or
 * n/a, for a code not in effect) is absent, never a guess; any other label needs an amount. {@code rvu} is the total
 * RVU where the source gives one, kept for cross-checking.
 */
record FeeEntry(BigDecimal amount, BigDecimal rvu, String label, String source, String note) {

    FeeEntry {
        Provenance.requireLabel(label, "fee");
        if (Provenance.meansNoAmount(label) != (amount == null)) {
            throw new IllegalArgumentException("a fee labelled " + label
                                               + (amount == null ? " needs an amount" : " has no amount: " + amount));
        }
        if (amount != null) {
            amount = Amount.of(amount).value().orElseThrow();
        }
    }

    Amount allowed() {
        return amount == null ? Amount.unknown() : Amount.of(amount);
    }
}
