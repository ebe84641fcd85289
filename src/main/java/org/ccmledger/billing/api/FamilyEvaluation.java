package org.ccmledger.billing.api;

import java.util.List;
import java.util.Objects;

/**
 * How one CCM family fared for a patient-month: billed, qualified but lost (P1), or not eligible, with its reasons.
 * A family that qualified keeps the lines it would have billed, so an auditor sees what was given up.
 * <p>
 * Invariants (R5 and the exclusion matrix): a not-eligible family has no lines; a family that qualified starts with
 * its base code at one unit, and its only other line is its own add-on, so an add-on never stands alone.
 *
 * @param family  the family
 * @param outcome billed, lost or not eligible
 * @param lines   the lines billed or that would have been billed
 * @param reasons at least one reason, each naming its rule
 */
public record FamilyEvaluation(CcmFamily family, Outcome outcome, List<BillingLine> lines, List<Reason> reasons) {

    /** What became of a family in a patient-month. */
    public enum Outcome { BILLED, LOST, NOT_ELIGIBLE }

    public FamilyEvaluation {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(outcome, "outcome");
        lines = List.copyOf(lines);
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("every outcome has a reason: " + family);
        }
        if (outcome == Outcome.NOT_ELIGIBLE) {
            if (!lines.isEmpty()) {
                throw new IllegalArgumentException("a family that is not eligible has no lines: " + family);
            }
        } else {
            assertBaseFirstAndOnlyOwnAddOn(family, lines);
        }
    }

    public boolean qualified() {
        return outcome != Outcome.NOT_ELIGIBLE;
    }

    /** The allowed amount of the lines; zero and complete for a family that is not eligible. */
    public Total total() {
        return Total.of(lines);
    }

    private static void assertBaseFirstAndOnlyOwnAddOn(CcmFamily family, List<BillingLine> lines) {
        if (lines.isEmpty() || !lines.get(0).code().equals(family.baseCode()) || lines.get(0).units() != 1) {
            throw new IllegalArgumentException("R5: " + family.label() + " starts with one unit of "
                                               + family.baseCode() + ": " + lines);
        }
        if (lines.size() > 2 || (lines.size() == 2 && !lines.get(1).code().equals(family.addOnCode()))) {
            throw new IllegalArgumentException("R5: " + family.label() + " holds only its own codes: " + lines);
        }
    }
}
