package org.ccmledger.billing.rules;

import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import org.ccmledger.billing.api.Amount;
import org.ccmledger.billing.api.FeeBasis;

/**
 * The allowed amount per code on one date for one QP status (R15). Where the year has a separate QP conversion factor
 * and the practitioner is a QP, each known amount is the non-QP amount × qp/nonQp, rounded half-up to cents
 * (ccm-rules.md section 4); unknown amounts stay unknown.
 */
record FeeSchedule(FeeBasis basis, Map<String, Amount> amounts) {

    FeeSchedule {
        amounts = Map.copyOf(amounts);
    }

    static FeeSchedule of(RuleData rules, LocalDate pricedAt, boolean qualifyingParticipant) {
        ConversionFactorPeriod factor = rules.conversionFactorOn(pricedAt);
        boolean scale = qualifyingParticipant && factor.hasSeparateQpFactor();
        Map<String, Amount> amounts = new HashMap<>();
        rules.fees().forEach((code, fee) -> amounts.put(code, scale ? toQp(fee.allowed(), factor) : fee.allowed()));
        FeeBasis basis = new FeeBasis(rules.version(), pricedAt, qualifyingParticipant,
                                      factor.factor(qualifyingParticipant),
                                      Provenance.describe(factor.label(), factor.source()),
                                      rules.coinsurance().rate());
        return new FeeSchedule(basis, amounts);
    }

    Amount allowed(String code) {
        Amount amount = amounts.get(code);
        if (amount == null) {
            throw new IllegalArgumentException(basis.version() + " has no fee entry for " + code);
        }
        return amount;
    }

    private static Amount toQp(Amount nonQp, ConversionFactorPeriod factor) {
        return nonQp.value()
                    .map(v -> Amount.of(v.multiply(factor.qp()).divide(factor.nonQp(), 2, RoundingMode.HALF_UP)))
                    .orElse(Amount.unknown());
    }
}
