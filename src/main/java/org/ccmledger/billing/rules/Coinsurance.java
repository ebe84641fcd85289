package org.ccmledger.billing.rules;

import java.math.BigDecimal;
import java.util.Objects;

/** The patient's share of the allowed amount (R14), e.g. 0.20. */
record Coinsurance(BigDecimal rate, String label, String source) {

    Coinsurance {
        Objects.requireNonNull(rate, "coinsurance rate");
        if (rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("coinsurance rate must be between 0 and 1: " + rate);
        }
        Provenance.requireLabel(label, "coinsurance");
    }
}
