package org.ccmledger.billing.api;

import java.util.Objects;

/**
 * One claim line: a code, its units and the allowed amount per unit under the month's fee schedule.
 *
 * @param code       the HCPCS/CPT code
 * @param units      at least 1
 * @param unitAmount the allowed amount of one unit, possibly unknown
 * @param basis      how the unit amount was reached, e.g. {@code 1.98 RVU × 33.4009 = 66.13 ([S] S30)}; may be
 *                   {@code null}
 */
public record BillingLine(String code, int units, Amount unitAmount, String basis) {

    public BillingLine(String code, int units, Amount unitAmount) {
        this(code, units, unitAmount, null);
    }

    public BillingLine {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(unitAmount, "unitAmount");
        if (units < 1) {
            throw new IllegalArgumentException("a line has at least one unit: " + code + " x " + units);
        }
    }

    /** {@code unitAmount × units}; unknown when the unit amount is. */
    public Amount lineAmount() {
        return unitAmount.times(units);
    }
}
