package org.ccmledger.billing.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One line of a patient-month's bill: code, units, the allowed amount of one unit ({@code null} when the fee data
 * marks it unknown, never a guess) and the date of service (R12; G0506 carries its initiating visit's date, R9).
 */
public record StatementLine(String code, int units, BigDecimal unitAmount, LocalDate servicedDate) {

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
        return Total.of(lines.stream().map(l -> new BillingLine(l.code(), l.units(), l.unit())).toList());
    }
}
