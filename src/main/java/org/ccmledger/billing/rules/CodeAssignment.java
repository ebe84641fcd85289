package org.ccmledger.billing.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.ccmledger.billing.api.AssignedCodes;
import org.ccmledger.billing.api.BillingLine;
import org.ccmledger.billing.api.CcmFamily;
import org.ccmledger.billing.api.FamilyEvaluation;
import org.ccmledger.billing.api.FamilyEvaluation.Outcome;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.Total;

/**
 * Assigns the CCM codes of one patient-month under one year's rule data (R2, R5, P1).
 * <p>
 * Every family is evaluated. Of those that qualify, exactly one is billed: the one with the highest allowed amount
 * under the month's fee schedule, priced at the last day of the month (the month-end date of service of R12; in 2024
 * that picks the conversion-factor period). The others are kept as alternatives with the reason they lost or failed.
 * <p>
 * <b>Unknown amounts and ties.</b> A family is compared on the known part of its total: an amount labelled [NF] is
 * never replaced by a guess, and never by zero in what is shown. Because every allowed amount is positive, an unknown
 * amount in the family that wins cannot overturn the choice, but one in a family that lost could; the result then
 * reports {@link AssignedCodes#choiceDependsOnUnknownAmounts()} and the loser's reason says so, so the practice can set
 * the amount in an override and re-evaluate. Equal known parts go to the family P1 lists first
 * ({@link CcmFamily} order: 99490, 99491, 99487), so the choice is deterministic.
 */
final class CodeAssignment {

    private static final Comparator<Candidate> P1_ORDER =
            Comparator.comparing((Candidate c) -> c.total().knownPart()).reversed()
                      .thenComparing(c -> c.family().ordinal());

    private final RuleData rules;

    CodeAssignment(RuleData rules) {
        this.rules = rules;
    }

    AssignedCodes assign(CareMonth month) {
        return assign(month, month.month().atEndOfMonth());
    }

    /** Prices at {@code pricedAt}, a date of service inside the month (R12: month end, or the date of death). */
    AssignedCodes assign(CareMonth month, java.time.LocalDate pricedAt) {
        if (!java.time.YearMonth.from(pricedAt).equals(month.month())) {
            throw new IllegalArgumentException("R12: the date of service lies in the month billed: " + pricedAt);
        }
        if (month.month().getYear() != rules.year()) {
            throw new IllegalArgumentException("R1: " + month.month() + " is priced with its own year's data, not "
                                               + rules.version());
        }
        FeeSchedule fees = rules.feeSchedule(pricedAt, month.qualifyingParticipant(), month.setting(),
                                             month.placeOfService());
        List<Candidate> qualifying = new ArrayList<>();
        List<FamilyEvaluation> notEligible = new ArrayList<>();
        for (CcmFamily family : CcmFamily.values()) {
            FamilyQualification qualification = new FamilyQualification(family, rules, month);
            List<Reason> blockers = qualification.blockers();
            if (blockers.isEmpty()) {
                qualifying.add(new Candidate(family, qualification.lines(fees),
                                             qualification.capNotes(rules.version())));
            } else {
                notEligible.add(new FamilyEvaluation(family, Outcome.NOT_ELIGIBLE, List.of(), blockers));
            }
        }
        qualifying.sort(P1_ORDER);
        List<FamilyEvaluation> evaluations = new ArrayList<>();
        List<FamilyEvaluation> alternatives = new ArrayList<>(notEligible);
        if (!qualifying.isEmpty()) {
            Candidate winner = qualifying.get(0);
            evaluations.add(winner.evaluate(Outcome.BILLED, chosen(winner, qualifying.size())));
            qualifying.stream().skip(1)
                      .map(loser -> loser.evaluate(Outcome.LOST, lost(loser, winner)))
                      .forEach(alternatives::add);
        }
        alternatives.sort(Comparator.comparing(FamilyEvaluation::family));
        evaluations.addAll(alternatives);
        return new AssignedCodes(month.month(), fees.basis(), evaluations);
    }

    private static Reason chosen(Candidate winner, int qualifyingCount) {
        return new Reason("P1", qualifyingCount == 1
                                ? "the only qualifying family: " + winner.total()
                                : "highest allowed amount of " + qualifyingCount + " qualifying families: "
                                  + winner.total());
    }

    private static Reason lost(Candidate loser, Candidate winner) {
        boolean tie = loser.total().knownPart().compareTo(winner.total().knownPart()) == 0;
        String comparison = tie
                ? "equal allowed amount " + loser.total() + " = " + winner.total() + " of " + winner.family().label()
                  + "; a tie goes to the family P1 lists first"
                : "lower allowed amount: " + loser.total() + " < " + winner.total() + " of " + winner.family().label();
        String caveat = loser.total().complete() ? ""
                : "; compared on known amounts only, may change once the amount of "
                  + String.join(", ", loser.total().unknownCodes()) + " is known";
        return new Reason("P1", comparison + caveat);
    }

    private record Candidate(CcmFamily family, List<BillingLine> lines, List<Reason> notes) {

        Total total() {
            return Total.of(lines);
        }

        FamilyEvaluation evaluate(Outcome outcome, Reason decision) {
            List<Reason> reasons = new ArrayList<>();
            reasons.add(decision);
            reasons.addAll(notes);
            return new FamilyEvaluation(family, outcome, lines, reasons);
        }
    }
}
