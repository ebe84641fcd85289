package org.ccmledger.billing.rules;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.ccmledger.billing.api.Amount;
import org.ccmledger.billing.api.FeeBasis;
import org.ccmledger.billing.api.FeeSetting;

/**
 * The allowed amount per code on one date, for one QP status and one setting (R13, R15): each code's rate in that
 * setting priced with the conversion factor in effect on the date (the QP one for a QP where the year has one), each
 * with the sentence saying how ({@code 1.98 RVU × 33.4009 = 66.13 ([S] S30)}).
 */
record FeeSchedule(FeeBasis basis, Map<String, Rate.Priced> prices) {

    FeeSchedule {
        prices = Map.copyOf(prices);
    }

    /** Schedules priced so far, by what prices them; emptied when it grows past {@value #PRICED_KEPT}. */
    private static final Map<Priced, FeeSchedule> PRICED = new ConcurrentHashMap<>();
    private static final int PRICED_KEPT = 1_024;

    /**
     * What prices a schedule. The rule data is compared by identity: one version's data is one instance while it is in
     * use (shipped, override and imported data are each parsed once), and comparing it by value would walk every fee.
     */
    private record Priced(Identity rules, LocalDate pricedAt, boolean qualifyingParticipant, FeeSetting setting,
                          String placeOfService) {
    }

    private record Identity(RuleData rules) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Identity that && that.rules == rules;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(rules);
        }
    }

    /**
     * The schedule for a date, QP status, setting and place under {@code rules}: the same every time for the same
     * arguments, so priced once and kept (a month of a practice prices one schedule per patient otherwise).
     */
    static FeeSchedule of(RuleData rules, LocalDate pricedAt, boolean qualifyingParticipant, FeeSetting setting,
                          String placeOfService) {
        Priced key = new Priced(new Identity(rules), pricedAt, qualifyingParticipant, setting, placeOfService);
        FeeSchedule kept = PRICED.get(key);
        if (kept != null) {
            return kept;
        }
        if (PRICED.size() >= PRICED_KEPT) {
            PRICED.clear();
        }
        FeeSchedule priced = price(rules, pricedAt, qualifyingParticipant, setting, placeOfService);
        PRICED.put(key, priced);
        return priced;
    }

    private static FeeSchedule price(RuleData rules, LocalDate pricedAt, boolean qualifyingParticipant,
                                     FeeSetting setting, String placeOfService) {
        ConversionFactorPeriod factor = rules.conversionFactorOn(pricedAt);
        Map<String, Rate.Priced> prices = new HashMap<>();
        rules.fees().forEach((code, fee) -> prices.put(code, fee.rate(setting).price(factor, qualifyingParticipant,
                                                                                     pricedAt)));
        FeeBasis basis = new FeeBasis(rules.version(), pricedAt, qualifyingParticipant,
                                      factor.factor(qualifyingParticipant),
                                      Provenance.describe(factor.label(), factor.source()),
                                      rules.coinsurance().rate(), setting, placeOfService);
        return new FeeSchedule(basis, prices);
    }

    Amount allowed(String code) {
        return priced(code).amount();
    }

    /** How the amount of {@code code} was reached. */
    String explain(String code) {
        return priced(code).basis();
    }

    private Rate.Priced priced(String code) {
        Rate.Priced priced = prices.get(code);
        if (priced == null) {
            throw new IllegalArgumentException(basis.version() + " has no fee entry for " + code);
        }
        return priced;
    }
}
