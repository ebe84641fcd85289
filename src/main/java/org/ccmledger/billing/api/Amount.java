package org.ccmledger.billing.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * A money amount in US dollars with scale 2, or an amount nobody knows yet (a fee labelled [NF] in ccm-rules.md).
 * An unknown amount is never treated as zero: it renders as {@code "unknown"} and multiplies to unknown.
 *
 * @param value the amount, empty when unknown; never negative, never more than two decimals
 */
public record Amount(Optional<BigDecimal> value) {

    private static final Amount UNKNOWN = new Amount(Optional.empty());

    public Amount {
        Objects.requireNonNull(value, "value");
        value = value.map(Amount::cents);
    }

    public static Amount of(BigDecimal value) {
        return new Amount(Optional.of(Objects.requireNonNull(value, "value")));
    }

    public static Amount of(String value) {
        return of(new BigDecimal(value));
    }

    public static Amount unknown() {
        return UNKNOWN;
    }

    public boolean known() {
        return value.isPresent();
    }

    /** This amount for {@code units} units; unknown stays unknown. */
    public Amount times(int units) {
        return new Amount(value.map(v -> v.multiply(BigDecimal.valueOf(units))));
    }

    /** {@code "60.49"}, or {@code "unknown"}. */
    @Override
    public String toString() {
        return value.map(BigDecimal::toPlainString).orElse("unknown");
    }

    private static BigDecimal cents(BigDecimal v) {
        if (v.signum() < 0) {
            throw new IllegalArgumentException("an amount is never negative: " + v);
        }
        try {
            return v.setScale(2, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("an amount has at most two decimals: " + v, e);
        }
    }
}
