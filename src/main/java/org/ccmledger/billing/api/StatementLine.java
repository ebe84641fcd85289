package org.ccmledger.billing.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One line of a patient-month's bill: code, units, the allowed amount of one unit ({@code null} when the fee data
 * marks it unknown, never a guess), the date of service (R12) and how the unit amount was reached ({@code basis}, e.g.
 * {@code 1.98 RVU × 33.4009 = 66.13 ([S] S30)}; {@code null} on statements issued before it was recorded).
 */
public record StatementLine(String code, int units, BigDecimal unitAmount, LocalDate servicedDate, String basis) {

    public StatementLine(String code, int units, BigDecimal unitAmount, LocalDate servicedDate) {
        this(code, units, unitAmount, servicedDate, null);
    }

    public StatementLine {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(servicedDate, "servicedDate");
        if (units < 1) {
            throw new IllegalArgumentException("a line has at least one unit: " + code);
        }
    }

    public Amount unit() {
        return unitAmount == null ? Amount.unknown() : Amount.of(unitAmount);
    }

    public Amount amount() {
        return unit().times(units);
    }

    /** The total of some lines: known part and the codes whose amount is unknown. */
    public static Total total(List<StatementLine> lines) {
        return Total.of(lines.stream().map(l -> new BillingLine(l.code(), l.units(), l.unit(), l.basis())).toList());
    }
}
