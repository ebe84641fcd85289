package org.ccmledger.billing.api;

import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.ccmledger.billing.api.FamilyEvaluation.Outcome;

/**
 * The CCM codes of one patient-month and the trace of the choice (P1): every family exactly once, the billed one (if
 * any) first, then the others in P1 order, each with its reasons.
 * <p>
 * Invariants: at most one family is billed (R5); if any family qualified, one is billed.
 *
 * @param month       the calendar month (R1)
 * @param feeBasis    the fee data, QP status and conversion factor the amounts come from (R15)
 * @param evaluations one evaluation per family
 */
public record AssignedCodes(YearMonth month, FeeBasis feeBasis, List<FamilyEvaluation> evaluations) {

    public AssignedCodes {
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(feeBasis, "feeBasis");
        evaluations = List.copyOf(evaluations);
        Set<CcmFamily> seen = EnumSet.noneOf(CcmFamily.class);
        evaluations.forEach(e -> seen.add(e.family()));
        if (seen.size() != CcmFamily.values().length || evaluations.size() != seen.size()) {
            throw new IllegalArgumentException("every family is evaluated exactly once: " + evaluations);
        }
        long billed = evaluations.stream().filter(e -> e.outcome() == Outcome.BILLED).count();
        boolean anyQualified = evaluations.stream().anyMatch(FamilyEvaluation::qualified);
        if (billed > 1 || (anyQualified && billed == 0)) {
            throw new IllegalArgumentException("R5: exactly one qualifying family is billed: " + evaluations);
        }
    }

    /** The rule/fee data version the result was computed from. */
    public String ruleVersion() {
        return feeBasis.version();
    }

    public Optional<FamilyEvaluation> billed() {
        return evaluations.stream().filter(e -> e.outcome() == Outcome.BILLED).findFirst();
    }

    public Optional<CcmFamily> family() {
        return billed().map(FamilyEvaluation::family);
    }

    /** The claim lines; empty when no family qualified. */
    public List<BillingLine> lines() {
        return billed().map(FamilyEvaluation::lines).orElse(List.of());
    }

    public Total total() {
        return Total.of(lines());
    }

    /** The patient's coinsurance on the total (R14), rounded half-up to cents; unknown when the total is. */
    public Amount coinsurance() {
        return total().amount().value()
                      .map(t -> Amount.of(t.multiply(feeBasis.coinsuranceRate()).setScale(2, RoundingMode.HALF_UP)))
                      .orElse(Amount.unknown());
    }

    /** Every family not billed, lost or not eligible, with its reasons. */
    public List<FamilyEvaluation> alternatives() {
        return evaluations.stream().filter(e -> e.outcome() != Outcome.BILLED).toList();
    }

    /**
     * True when a family that lost has an unknown amount: the choice was made on known amounts only and could change
     * once that amount is set in the fee data. (Unknown amounts in the billed family cannot change the choice.)
     */
    public boolean choiceDependsOnUnknownAmounts() {
        return evaluations.stream().anyMatch(e -> e.outcome() == Outcome.LOST && !e.total().complete());
    }
}
