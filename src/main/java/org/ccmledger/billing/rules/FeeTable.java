package org.ccmledger.billing.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.ccmledger.billing.api.FeeSetting;

/**
 * A year's fee data as a biller reads it: per code its status, global days and, per setting, the RVUs with their
 * source label and the amount in each conversion-factor period for a non-QP and a QP practitioner ({@code null} where
 * the source has none, with the label saying why).
 */
public record FeeTable(int year, String version, String notes, List<Factor> conversionFactors, List<Code> codes) {

    public record Factor(LocalDate from, LocalDate to, BigDecimal nonQp, BigDecimal qp, String label) {
    }

    public record Code(String code, String status, String global, Setting nonFacility, Setting facility) {
    }

    public record Setting(BigDecimal rvu, String label, String source, List<Amounts> amounts) {
    }

    public record Amounts(LocalDate from, LocalDate to, BigDecimal nonQp, BigDecimal qp, String basis) {
    }

    public static FeeTable of(RuleData data) {
        List<Factor> factors = data.conversionFactors().stream()
                                   .map(f -> new Factor(f.from(), f.to(), f.nonQp(), f.qp(),
                                                        Provenance.describe(f.label(), f.source())))
                                   .toList();
        List<Code> codes = new ArrayList<>();
        new TreeMap<>(data.fees()).forEach((code, fee) -> codes.add(
                new Code(code, fee.status(), fee.global(), setting(data, code, fee, FeeSetting.NON_FACILITY),
                         setting(data, code, fee, FeeSetting.FACILITY))));
        return new FeeTable(data.year(), data.version(), data.notes(), factors, codes);
    }

    private static Setting setting(RuleData data, String code, FeeEntry fee, FeeSetting setting) {
        Rate rate = fee.rate(setting);
        List<Amounts> amounts = new ArrayList<>();
        for (ConversionFactorPeriod period : data.conversionFactors()) {
            Rate.Priced nonQp = rate.price(period, false, period.from());
            Rate.Priced qp = rate.price(period, true, period.from());
            amounts.add(new Amounts(period.from(), period.to(), nonQp.amount().value().orElse(null),
                                    qp.amount().value().orElse(null), nonQp.basis()));
        }
        return new Setting(rate.rvu(), rate.label(), rate.source(), amounts);
    }
}
