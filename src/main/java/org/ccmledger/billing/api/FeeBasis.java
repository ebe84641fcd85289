package org.ccmledger.billing.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What the allowed amounts were computed from (R15): the rule/fee data version, the date priced at, the QP status and
 * the conversion factor in effect, and the coinsurance rate (R14). Recorded on every result so a statement can be
 * recomputed from the same data.
 *
 * @param version               the rule/fee data version, e.g. {@code "ccm-rules-2026.1"}
 * @param pricedAt              the date whose conversion-factor period applied
 * @param qualifyingParticipant whether the practitioner's QP conversion factor applied
 * @param conversionFactor      the conversion factor applied (the QP one when that applied and differs)
 * @param conversionFactorLabel the source label of that factor, e.g. {@code "[S] S22"}
 * @param coinsuranceRate       the patient's share of the allowed amount, e.g. 0.20
 * @param setting               which rate applied: non-facility, or facility for a facility place of service (R13);
 *                              {@code null} on statements issued before settings were told apart (non-facility)
 * @param placeOfService        the CMS place-of-service code the setting follows from (R13), e.g. {@code "11"};
 *                              {@code null} on statements issued before it was recorded
 */
public record FeeBasis(String version, LocalDate pricedAt, boolean qualifyingParticipant,
                       BigDecimal conversionFactor, String conversionFactorLabel, BigDecimal coinsuranceRate,
                       FeeSetting setting, String placeOfService) {

    /** A basis recorded before settings were told apart: the non-facility rate. */
    public FeeBasis(String version, LocalDate pricedAt, boolean qualifyingParticipant, BigDecimal conversionFactor,
                    String conversionFactorLabel, BigDecimal coinsuranceRate) {
        this(version, pricedAt, qualifyingParticipant, conversionFactor, conversionFactorLabel, coinsuranceRate, null,
             null);
    }

    /** The setting that applied; non-facility for a statement issued before settings were told apart. */
    public FeeSetting settingOrDefault() {
        return setting == null ? FeeSetting.NON_FACILITY : setting;
    }

    public FeeBasis {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(pricedAt, "pricedAt");
        Objects.requireNonNull(conversionFactor, "conversionFactor");
        Objects.requireNonNull(conversionFactorLabel, "conversionFactorLabel");
        Objects.requireNonNull(coinsuranceRate, "coinsuranceRate");
    }
}
