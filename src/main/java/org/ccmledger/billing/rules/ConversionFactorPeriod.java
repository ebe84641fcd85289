package org.ccmledger.billing.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A conversion factor in effect from {@code from} to {@code to} inclusive (R15). {@code qp} is the factor for
 * qualifying APM participants where the year has a separate one (2026 on); when absent, {@code nonQp} applies to all.
 */
record ConversionFactorPeriod(LocalDate from, LocalDate to, BigDecimal nonQp, BigDecimal qp, String label,
                              String source, String note) {

    ConversionFactorPeriod {
        Objects.requireNonNull(from, "conversion factor: from");
        Objects.requireNonNull(to, "conversion factor: to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("conversion factor period ends before it starts: " + from + ".." + to);
        }
        requirePositive(nonQp, "nonQp");
        if (qp != null) {
            requirePositive(qp, "qp");
        }
        Provenance.requireLabel(label, "conversion factor from " + from);
    }

    boolean covers(LocalDate date) {
        return !date.isBefore(from) && !date.isAfter(to);
    }

    boolean hasSeparateQpFactor() {
        return qp != null && qp.compareTo(nonQp) != 0;
    }

    BigDecimal factor(boolean qualifyingParticipant) {
        return qualifyingParticipant && qp != null ? qp : nonQp;
    }

    private static void requirePositive(BigDecimal factor, String name) {
        if (factor == null || factor.signum() <= 0) {
            throw new IllegalArgumentException("conversion factor " + name + " must be positive: " + factor);
        }
    }
}
