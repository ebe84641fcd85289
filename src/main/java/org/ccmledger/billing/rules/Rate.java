package org.ccmledger.billing.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.ccmledger.billing.api.Amount;

/**
 * A code's price in one setting (non-facility or facility) for one year, as its source gives it: total RVUs, from which
 * the amount is computed as RVU × conversion factor, half-up to cents (so QP amounts are exact); or, where a source
 * gives only dollar amounts, those amounts per conversion-factor period. A rate labelled [NF] (or n/a for a code not
 * in effect) has neither: its amount is unknown, never a guess.
 *
 * @param rvu     total RVUs; {@code null} when the source gives none
 * @param parts   work, practice expense and malpractice RVUs when the source gives them (a CMS file does); their sum
 *                is {@code rvu}
 * @param amounts dollar amounts stated by a source that gives no RVUs, each for a period of the year ({@code from} and
 *                {@code to} {@code null}: the whole year); non-QP amounts
 * @param label   the source label of this figure: [S], [S3], [M], [NF] or n/a
 * @param source  where it comes from, e.g. {@code S30}
 */
record Rate(BigDecimal rvu, Parts parts, List<StatedAmount> amounts, String label, String source, String note) {

    /** RVU components as CMS publishes them. */
    record Parts(BigDecimal work, BigDecimal practiceExpense, BigDecimal malpractice) {

        BigDecimal total() {
            return work.add(practiceExpense).add(malpractice);
        }
    }

    /** A dollar amount stated for the dates {@code from}–{@code to} (inclusive; {@code null}: unbounded). */
    record StatedAmount(LocalDate from, LocalDate to, BigDecimal amount) {

        boolean covers(LocalDate date) {
            return (from == null || !date.isBefore(from)) && (to == null || !date.isAfter(to));
        }
    }

    static Rate notFound() {
        return new Rate(null, null, List.of(), Provenance.NOT_FOUND, null, null);
    }

    Rate {
        amounts = amounts == null ? List.of() : List.copyOf(amounts);
        Provenance.requireLabel(label, "rate");
        boolean none = rvu == null && amounts.isEmpty();
        if (Provenance.meansNoAmount(label) != none) {
            throw new IllegalArgumentException("a rate labelled " + label
                                               + (none ? " needs an RVU or an amount" : " has a figure"));
        }
        if (rvu != null && !amounts.isEmpty()) {
            throw new IllegalArgumentException("a rate is either RVUs or stated amounts, not both");
        }
        if (rvu != null && rvu.signum() < 0) {
            throw new IllegalArgumentException("RVUs are never negative: " + rvu);
        }
        if (parts != null && (rvu == null || parts.total().compareTo(rvu) != 0)) {
            throw new IllegalArgumentException("total RVUs " + rvu + " are not the sum of their parts "
                                               + (parts == null ? "" : parts.total()));
        }
        for (StatedAmount stated : amounts) {
            Amount.of(stated.amount()); // at most two decimals, not negative
        }
    }

    /** The amount of one unit on {@code date}, with how it was reached; unknown when the source has none. */
    Priced price(ConversionFactorPeriod period, boolean qualifyingParticipant, LocalDate date) {
        String provenance = Provenance.describe(label, source);
        if (rvu != null) {
            BigDecimal factor = period.factor(qualifyingParticipant);
            BigDecimal amount = rvu.multiply(factor).setScale(2, RoundingMode.HALF_UP);
            return new Priced(Amount.of(amount), rvu.toPlainString() + " RVU × " + factor.toPlainString() + " = "
                                                 + amount.toPlainString() + " (" + provenance + ")");
        }
        Optional<StatedAmount> stated = amounts.stream().filter(a -> a.covers(date)).findFirst();
        if (stated.isEmpty()) {
            return new Priced(Amount.unknown(), "unknown (" + provenance + ")");
        }
        BigDecimal amount = stated.get().amount();
        if (qualifyingParticipant && period.hasSeparateQpFactor()) {
            // a stated amount is a non-QP one: scaled by the factors' ratio, the best there is without RVUs
            amount = amount.multiply(period.qp()).divide(period.nonQp(), 2, RoundingMode.HALF_UP);
            return new Priced(Amount.of(amount), "stated " + stated.get().amount().toPlainString() + " × QP/non-QP "
                                                 + "factor = " + amount.toPlainString() + " (" + provenance + ")");
        }
        return new Priced(Amount.of(amount), "stated " + amount.toPlainString() + " (" + provenance + ")");
    }

    /** An amount and the sentence that says where it came from. */
    record Priced(Amount amount, String basis) {
    }
}
