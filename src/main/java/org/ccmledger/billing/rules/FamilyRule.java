package org.ccmledger.billing.rules;

import java.util.Objects;

/**
 * A family's thresholds and add-on cap for the year (R2): the base code needs {@code baseMinutes}, each full
 * {@code addOnMinutes} beyond that earns one add-on unit, up to {@code addOnCap} units. No rounding, no midpoint.
 */
record FamilyRule(String baseCode, int baseMinutes, String addOnCode, int addOnMinutes, Integer addOnCap,
                  String label, String source, String capLabel, String capSource) {

    FamilyRule {
        Objects.requireNonNull(baseCode, "baseCode");
        Objects.requireNonNull(addOnCode, "addOnCode of " + baseCode);
        Objects.requireNonNull(addOnCap, "addOnCap of " + addOnCode);
        if (baseMinutes <= 0 || addOnMinutes <= 0 || addOnCap < 0) {
            throw new IllegalArgumentException("thresholds of " + baseCode + " must be positive and the cap of "
                                               + addOnCode + " not negative");
        }
        Provenance.requireLabel(label, "thresholds of " + baseCode);
        Provenance.requireLabel(capLabel, "cap of " + addOnCode);
    }

    boolean baseMet(int minutes) {
        return minutes >= baseMinutes;
    }

    /** Full add-on periods beyond the base, before the cap. */
    int addOnPeriods(int minutes) {
        return baseMet(minutes) ? (minutes - baseMinutes) / addOnMinutes : 0;
    }

    int addOnUnits(int minutes) {
        return Math.min(addOnCap, addOnPeriods(minutes));
    }

    /**
     * The next threshold above {@code minutes} and the code it earns: the base, else one more add-on period while
     * the cap allows one; empty once the cap is reached.
     */
    java.util.Optional<org.ccmledger.billing.api.NextUnit> next(int minutes) {
        if (!baseMet(minutes)) {
            return java.util.Optional.of(new org.ccmledger.billing.api.NextUnit(baseCode, baseMinutes, minutes,
                                                                                baseMinutes - minutes));
        }
        int periods = addOnPeriods(minutes);
        if (periods >= addOnCap) {
            return java.util.Optional.empty();
        }
        int threshold = baseMinutes + (periods + 1) * addOnMinutes;
        return java.util.Optional.of(new org.ccmledger.billing.api.NextUnit(addOnCode, threshold, minutes,
                                                                            threshold - minutes));
    }
}
