package org.ccmledger.billing.rules;

import java.util.ArrayList;
import java.util.List;

import org.ccmledger.billing.api.BillingLine;
import org.ccmledger.billing.api.CcmFamily;
import org.ccmledger.billing.api.Reason;

/**
 * Whether one family qualifies in a month and which lines it earns (R2, R3, P1), with thresholds and caps from the
 * year's {@link FamilyRule}. Time counted is T for the staff families and P for 99491 ± 99437.
 */
final class FamilyQualification {

    private final CcmFamily family;
    private final FamilyRule rule;
    private final CareMonth month;

    FamilyQualification(CcmFamily family, RuleData rules, CareMonth month) {
        this.family = family;
        this.rule = rules.family(family);
        this.month = month;
    }

    /** Every reason the family cannot be billed this month; empty when it qualifies. */
    List<Reason> blockers() {
        List<Reason> blockers = new ArrayList<>();
        if (!rule.baseMet(minutes())) {
            blockers.add(new Reason("R2", minutesLabel() + " below " + rule.baseMinutes() + " minutes for "
                                          + rule.baseCode() + basisNote()));
        }
        if (family == CcmFamily.COMPLEX && !month.complexityAttested()) {
            blockers.add(new Reason("P1", "no moderate/high MDM attested for the month"));
        }
        if (family == CcmFamily.COMPLEX && !month.carePlanEstablishedOrRevised()) {
            blockers.add(new Reason("P1", "care plan not established or substantially revised in the month"));
        }
        return blockers;
    }

    /** The base code and, when earned, its own add-on; only for a family without blockers. */
    List<BillingLine> lines(FeeSchedule fees) {
        List<BillingLine> lines = new ArrayList<>();
        lines.add(new BillingLine(rule.baseCode(), 1, fees.allowed(rule.baseCode()), fees.explain(rule.baseCode())));
        int addOnUnits = rule.addOnUnits(minutes());
        if (addOnUnits > 0) {
            lines.add(new BillingLine(rule.addOnCode(), addOnUnits, fees.allowed(rule.addOnCode()),
                                      fees.explain(rule.addOnCode())));
        }
        return lines;
    }

    /** A note when the cap cut add-on units, so the statement shows the minutes that earned nothing. */
    List<Reason> capNotes(String version) {
        int periods = rule.addOnPeriods(minutes());
        if (periods <= rule.addOnCap()) {
            return List.of();
        }
        return List.of(new Reason("R2", minutesLabel() + " earns " + periods + " units of " + rule.addOnCode()
                                        + ", capped at " + rule.addOnCap() + " ("
                                        + Provenance.describe(rule.capLabel(), rule.capSource()) + ", " + version
                                        + ")"));
    }

    private int minutes() {
        return family == CcmFamily.PRACTITIONER ? month.practitionerMinutes() : month.countedMinutes();
    }

    private String minutesLabel() {
        return (family == CcmFamily.PRACTITIONER ? "P=" : "T=") + minutes();
    }

    private String basisNote() {
        return family == CcmFamily.PRACTITIONER ? " (only the billing practitioner's personal time counts, R3)" : "";
    }
}
