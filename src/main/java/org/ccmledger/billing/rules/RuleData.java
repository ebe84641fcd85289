package org.ccmledger.billing.rules;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.ccmledger.billing.api.CcmFamily;

/**
 * One calendar year's CCM rule and fee data, as read from {@code ccm-rules-<year>.json}: the version recorded on every
 * result, the conversion-factor periods covering the year without gap or overlap, the coinsurance rate, the thresholds
 * and caps of each {@link CcmFamily}, and the allowed amount per code. Everything labelled [S3], [M] or [NF] in
 * ccm-rules.md lives here, never in code.
 */
public record RuleData(String version, int year, String notes, List<ConversionFactorPeriod> conversionFactors,
                Coinsurance coinsurance, List<FamilyRule> families, Map<String, FeeEntry> fees,
                List<Exclusion> exclusions) {

    public RuleData {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("rule data needs a version");
        }
        Objects.requireNonNull(coinsurance, "coinsurance");
        conversionFactors = conversionFactors.stream().sorted(Comparator.comparing(ConversionFactorPeriod::from))
                                             .toList();
        families = List.copyOf(families);
        fees = Map.copyOf(fees);
        exclusions = List.copyOf(exclusions);
        if (exclusions.stream().map(Exclusion::kind).distinct().count() != exclusions.size()) {
            throw new IllegalArgumentException("one exclusion row per concurrent service kind");
        }
        assertFactorsCoverTheYear(year, conversionFactors);
        for (CcmFamily family : CcmFamily.values()) {
            assertOneRule(family, families, fees);
        }
        if (!fees.containsKey("G0506")) {
            throw new IllegalArgumentException("rule data needs a fee entry for G0506 (null if [NF])");
        }
    }

    FamilyRule family(CcmFamily family) {
        return families.stream().filter(r -> r.baseCode().equals(family.baseCode())).findFirst().orElseThrow();
    }

    ConversionFactorPeriod conversionFactorOn(LocalDate date) {
        return conversionFactors.stream().filter(p -> p.covers(date)).findFirst()
                                .orElseThrow(() -> new IllegalArgumentException(
                                        version + " has no conversion factor on " + date));
    }

    /** The exclusion-matrix row for a concurrent service; a kind without a row is allowed. */
    java.util.Optional<Exclusion> exclusion(org.ccmledger.patient.ConcurrentServiceKind kind) {
        return exclusions.stream().filter(e -> e.kind() == kind).findFirst();
    }

    FeeSchedule feeSchedule(LocalDate pricedAt, boolean qualifyingParticipant,
                            org.ccmledger.billing.api.FeeSetting setting, String placeOfService) {
        return FeeSchedule.of(this, pricedAt, qualifyingParticipant, setting, placeOfService);
    }

    /** The year's data with other fees, conversion factors and version: what an import of a CMS file makes. */
    RuleData withFees(String newVersion, int newYear, String newNotes, List<ConversionFactorPeriod> factors,
                      Map<String, FeeEntry> newFees) {
        return new RuleData(newVersion, newYear, newNotes, factors, coinsurance, families, newFees, exclusions);
    }

    private static void assertFactorsCoverTheYear(int year, List<ConversionFactorPeriod> periods) {
        LocalDate next = LocalDate.of(year, 1, 1);
        for (ConversionFactorPeriod period : periods) {
            if (!period.from().equals(next)) {
                throw new IllegalArgumentException("conversion factors of " + year + " must cover the year without "
                                                   + "gap or overlap; expected a period from " + next);
            }
            next = period.to().plusDays(1);
        }
        if (!next.equals(LocalDate.of(year + 1, 1, 1))) {
            throw new IllegalArgumentException("conversion factors of " + year + " must run to 31 December");
        }
    }

    private static void assertOneRule(CcmFamily family, List<FamilyRule> rules, Map<String, FeeEntry> fees) {
        List<FamilyRule> matching = rules.stream().filter(r -> r.baseCode().equals(family.baseCode())).toList();
        if (matching.size() != 1 || !matching.get(0).addOnCode().equals(family.addOnCode())) {
            throw new IllegalArgumentException("rule data needs exactly one family " + family.label());
        }
        for (String code : List.of(family.baseCode(), family.addOnCode())) {
            if (!fees.containsKey(code)) {
                throw new IllegalArgumentException("rule data needs a fee entry for " + code + " (null if [NF])");
            }
        }
    }
}
