package org.ccmledger.billing.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * The billing decision for one patient-month, recomputable from the ledger: the practitioner billed (R6), the family
 * and lines (R2, R5, P1), the minutes (R3, P2), every blocker and flag with its rule, every alternative with why it
 * lost, the events it rests on, the date of service (R12) and the fee basis (R15).
 *
 * @param month               the calendar month in the billing location's zone (P3)
 * @param billingPractitioner the NPI the month is billed under (R6)
 * @param family              the family billed; {@code null} when none is
 * @param lines               the lines billed; empty when blocked or below every threshold
 * @param minutes             the countable minutes under that practitioner
 * @param blockers            why nothing is billed, each naming its rule; empty when billable
 * @param flags               what does not block but must be seen (R14 QMB, unknown amounts, allowed services)
 * @param alternatives        every family not billed, and other practitioners' time (R6)
 * @param eventsCounted       every event the decision read, ordered by stream and sequence
 * @param dateOfService       month end, or the date of death when earlier (R12, edge case 7)
 * @param feeBasis            the rule/fee data version and conversion factor (R15)
 * @param diagnoses           ICD-10-CM codes of the patient's chronic conditions, qualifying ones first
 * @param carePlanVersion     the care-plan version in force at the date of service; 0 when none
 * @param qualifiedMedicareBeneficiary the patient is a QMB: no cost sharing is billed (R14)
 * @param visitAddOns         add-ons of the initiating visit's claim furnished in the month (G0506, R9): never on
 *                            the CCM claim, billed with the visit's base code on the visit's date
 */
public record MonthEvaluation(YearMonth month, String billingPractitioner, CcmFamily family,
                              List<StatementLine> lines, BillingMinutes minutes, List<Reason> blockers,
                              List<Reason> flags, List<Alternative> alternatives, List<EventRef> eventsCounted,
                              LocalDate dateOfService, FeeBasis feeBasis, List<String> diagnoses,
                              int carePlanVersion, boolean qualifiedMedicareBeneficiary,
                              List<VisitAddOn> visitAddOns) {

    public MonthEvaluation {
        Objects.requireNonNull(month, "month");
        lines = List.copyOf(lines);
        blockers = List.copyOf(blockers);
        flags = List.copyOf(flags);
        alternatives = List.copyOf(alternatives);
        eventsCounted = List.copyOf(eventsCounted);
        diagnoses = List.copyOf(diagnoses);
        visitAddOns = visitAddOns == null ? List.of() : List.copyOf(visitAddOns);
    }

    /** Something is billed for the month: CCM lines, or an add-on of the initiating visit's claim. */
    public boolean billable() {
        return !lines.isEmpty() || !visitAddOns.isEmpty();
    }

    public Total total() {
        return StatementLine.total(lines);
    }

    /** The patient's 20% (R14), half-up to cents; zero for a QMB, who is never billed cost sharing. */
    public Amount coinsurance() {
        if (qualifiedMedicareBeneficiary) {
            return Amount.of(BigDecimal.ZERO);
        }
        return total().amount().value()
                      .map(t -> Amount.of(t.multiply(feeBasis.coinsuranceRate()).setScale(2, RoundingMode.HALF_UP)))
                      .orElse(Amount.unknown());
    }
}
