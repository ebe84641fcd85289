package org.ccmledger.billing.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import org.ccmledger.billing.api.Amount;
import org.ccmledger.billing.api.CcmFamily;
import org.ccmledger.billing.api.FeeSetting;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ArrayNode;

class RuleDataRepositoryTest {

    private final RuleDataRepository testSubject = new RuleDataRepository(null);

    @ParameterizedTest(name = "R15: the shipped {0} data loads under its own version")
    @ValueSource(ints = {2024, 2025, 2026})
    void shippedYearsLoad(int year) {
        RuleData data = testSubject.forYear(year);

        assertThat(data.year()).isEqualTo(year);
        assertThat(data.version()).isEqualTo("ccm-rules-" + year + ".2");
        assertThat(data.coinsurance().rate()).isEqualByComparingTo("0.20");
    }

    @Test
    @DisplayName("R15: 2024 has two conversion factors, the first labelled [M]; 2026 has a QP factor")
    void conversionFactors() {
        RuleData y2024 = testSubject.forYear(2024);
        assertThat(y2024.conversionFactorOn(LocalDate.of(2024, 3, 8)).nonQp()).isEqualByComparingTo("32.7442");
        assertThat(y2024.conversionFactorOn(LocalDate.of(2024, 3, 8)).label()).isEqualTo("[M]");
        assertThat(y2024.conversionFactorOn(LocalDate.of(2024, 3, 9)).nonQp()).isEqualByComparingTo("33.2875");
        assertThat(testSubject.forYear(2025).conversionFactorOn(LocalDate.of(2025, 6, 1)).factor(true))
                .isEqualByComparingTo("32.3465");
        ConversionFactorPeriod y2026 = testSubject.forYear(2026).conversionFactorOn(LocalDate.of(2026, 6, 1));
        assertThat(y2026.factor(false)).isEqualByComparingTo("33.4009");
        assertThat(y2026.factor(true)).isEqualByComparingTo("33.5675");
    }

    @Test
    @DisplayName("R2: thresholds and add-on caps come from data, with their labels")
    void thresholdsAndCaps() {
        RuleData data = testSubject.forYear(2026);

        FamilyRule nonComplex = data.family(CcmFamily.NON_COMPLEX);
        assertThat(nonComplex.baseMinutes()).isEqualTo(20);
        assertThat(nonComplex.addOnMinutes()).isEqualTo(20);
        assertThat(nonComplex.addOnCap()).isEqualTo(2);
        assertThat(nonComplex.capLabel()).isEqualTo("[S]");
        FamilyRule practitioner = data.family(CcmFamily.PRACTITIONER);
        assertThat(practitioner.baseMinutes()).isEqualTo(30);
        assertThat(practitioner.addOnCap()).isEqualTo(2);
        assertThat(practitioner.capLabel()).isEqualTo("[S3]");
        FamilyRule complex = data.family(CcmFamily.COMPLEX);
        assertThat(complex.baseMinutes()).isEqualTo(60);
        assertThat(complex.addOnMinutes()).isEqualTo(30);
        assertThat(complex.addOnCap()).isEqualTo(10);
        assertThat(complex.capLabel()).isEqualTo("[S3]");
    }

    /**
     * ccm-rules.md section 4, the 2026 table from the CMS file (S30): code, non-facility RVU and $, facility RVU and $.
     */
    @ParameterizedTest(name = "R15: 2026 {0} = {1} RVU -> ${2} non-facility, {3} RVU -> ${4} facility")
    @CsvSource({"99490,1.98,66.13,1.31,43.76", "99439,1.51,50.44,0.92,30.73", "99487,4.32,144.29,2.37,79.16",
                "99489,2.34,78.16,1.31,43.76", "99491,2.67,89.18,1.96,65.47", "99437,1.89,63.13,1.31,43.76",
                "99424,2.62,87.51,1.94,64.80", "99425,1.84,61.46,1.32,44.09", "99426,2.03,67.80,1.32,44.09",
                "99427,1.62,54.11,0.94,31.40", "99484,1.72,57.45,1.16,38.75", "99495,6.59,220.11,3.66,122.25",
                "99496,8.94,298.60,4.98,166.34", "99453,0.65,21.71,0.65,21.71", "99454,1.56,52.11,1.56,52.11",
                "99457,1.55,51.77,0.79,26.39", "99458,1.24,41.42,0.79,26.39", "G0506,1.99,66.47,1.15,38.41",
                "G0556,0.49,16.37,0.33,11.02", "G0557,1.61,53.78,1.01,33.73", "G0558,3.51,117.24,2.18,72.81",
                "G0568,4.84,161.66,2.45,81.83", "G0569,4.37,145.96,2.69,89.85", "G0570,1.73,57.78,1.16,38.75",
                "G0181,3.29,109.89,3.29,109.89", "G0182,3.25,108.55,3.25,108.55"})
    void amountsOf2026(String code, BigDecimal nonFacilityRvu, String nonFacility, BigDecimal facilityRvu,
                       String facility) {
        RuleData data = testSubject.forYear(2026);

        assertThat(data.fees().get(code).nonFacility().rvu()).isEqualByComparingTo(nonFacilityRvu);
        assertThat(data.fees().get(code).facility().rvu()).isEqualByComparingTo(facilityRvu);
        assertThat(data.fees().get(code).nonFacility().label()).isEqualTo("[S]");
        assertThat(allowed(2026, FeeSetting.NON_FACILITY, false).get(code)).isEqualTo(Amount.of(nonFacility));
        assertThat(allowed(2026, FeeSetting.FACILITY, false).get(code)).isEqualTo(Amount.of(facility));
    }

    @Test
    @DisplayName("R15: 2026 QP amounts are RVU x 33.5675, exact to the cent (99491 QP = 2.67 x 33.5675 = 89.63)")
    void qualifyingParticipantAmountsAreComputed() {
        Map<String, Amount> qp = allowed(2026, FeeSetting.NON_FACILITY, true);

        assertThat(qp).containsEntry("99491", Amount.of("89.63")).containsEntry("99490", Amount.of("66.46"))
                      .containsEntry("99425", Amount.of("61.76")).containsEntry("G0557", Amount.of("54.04"));
        assertThat(allowed(2026, FeeSetting.FACILITY, true)).containsEntry("99490", Amount.of("43.97"));
    }

    @Test
    @DisplayName("R15: 2025 and 2024 as ccm-rules.md section 4 states them; [NF] cells are unknown, never 0")
    void amountsOfEarlierYears() {
        assertThat(allowed(2025, FeeSetting.NON_FACILITY, false))
                .containsEntry("99490", Amount.of("60.49")).containsEntry("99439", Amount.of("45.93"))
                .containsEntry("99487", Amount.of("131.65")).containsEntry("99489", Amount.of("70.52"))
                .containsEntry("99491", Amount.of("82.16")).containsEntry("99437", Amount.of("57.58"))
                .containsEntry("G0506", Amount.of("60.81")).containsEntry("99424", Amount.of("80.87"))
                .containsEntry("99425", Amount.of("58.87")).containsEntry("G0556", Amount.of("15.20"))
                .containsEntry("G0557", Amount.of("48.84")).containsEntry("G0558", Amount.of("107.07"))
                .containsEntry("99426", Amount.unknown()).containsEntry("G0568", Amount.unknown());
        assertThat(allowed(2025, FeeSetting.FACILITY, false)).containsEntry("99490", Amount.unknown());
        assertThat(testSubject.forYear(2025).fees().get("99490").nonFacility().label()).isEqualTo("[S3]");
        assertThat(testSubject.forYear(2025).fees().get("G0568").nonFacility().label()).isEqualTo("n/a");

        RuleData y2024 = testSubject.forYear(2024);
        assertThat(y2024.feeSchedule(LocalDate.of(2024, 3, 8), false, FeeSetting.NON_FACILITY, "11")
                        .allowed("99439")).isEqualTo(Amount.of("47.15"));
        assertThat(y2024.feeSchedule(LocalDate.of(2024, 3, 9), false, FeeSetting.NON_FACILITY, "11")
                        .allowed("99439")).isEqualTo(Amount.of("47.93"));
        assertThat(allowed(2024, FeeSetting.NON_FACILITY, false)).containsEntry("99490", Amount.unknown())
                                                                .containsEntry("99491", Amount.unknown());
        assertThat(y2024.fees().get("99490").nonFacility().label()).isEqualTo("[NF]");
    }

    @Test
    @DisplayName("R13, R15: a fee schedule is priced once per rule data, date, QP status, setting and place; other "
                 + "rule data under the same version is priced from its own fees")
    void feeSchedulesArePricedOncePerRuleData() {
        RuleData y2026 = testSubject.forYear(2026);
        LocalDate on = LocalDate.of(2026, 3, 31);
        FeeSchedule first = y2026.feeSchedule(on, false, FeeSetting.NON_FACILITY, "11");
        assertThat(y2026.feeSchedule(on, false, FeeSetting.NON_FACILITY, "11")).isSameAs(first);
        assertThat(y2026.feeSchedule(on, true, FeeSetting.NON_FACILITY, "11")).isNotSameAs(first);
        assertThat(y2026.feeSchedule(on, false, FeeSetting.NON_FACILITY, "22").basis().placeOfService())
                .isEqualTo("22");

        Map<String, FeeEntry> swapped = new java.util.HashMap<>(y2026.fees());
        swapped.put("99490", y2026.fees().get("99491"));
        RuleData edited = y2026.withFees(y2026.version(), 2026, y2026.notes(), y2026.conversionFactors(), swapped);
        assertThat(edited.feeSchedule(on, false, FeeSetting.NON_FACILITY, "11").allowed("99490"))
                .isEqualTo(first.allowed("99491")).isNotEqualTo(first.allowed("99490"));
        assertThat(y2026.feeSchedule(on, false, FeeSetting.NON_FACILITY, "11")).isSameAs(first);
    }

    @ParameterizedTest(name = "R15: where {0}'s source gives RVUs and amounts, RVU x conversion factor is the amount")
    @CsvSource({"99490,60.49", "99489,70.52"})
    void rvusAgreeWithStatedAmounts2025(String code, String stated) {
        assertThat(allowed(2025, FeeSetting.NON_FACILITY, false).get(code)).isEqualTo(Amount.of(stated));
        assertThat(testSubject.forYear(2025).fees().get(code).nonFacility().note()).contains(stated);
    }

    @Test
    @DisplayName("R15: a year without data is refused")
    void unknownYearIsRefused() {
        assertThatThrownBy(() -> testSubject.forYear(2023)).isInstanceOf(IllegalArgumentException.class)
                                                            .hasMessageContaining("2023");
    }

    @Test
    @DisplayName("The practice's file wins over the shipped one; other years stay shipped")
    void overrideTakesPrecedence(@TempDir Path practice) {
        RuleDataOverrides.write(practice, 2026, data -> RuleDataOverrides.nonFacility(data, "99491")
                                                                         .put("rvu", 2.70).put("label", "[M]"));
        RuleDataRepository repository = new RuleDataRepository(practice);

        assertThat(repository.forYear(2026).version()).isEqualTo("ccm-rules-2026.1+practice-7");
        assertThat(repository.forYear(2026).feeSchedule(LocalDate.of(2026, 5, 31), false, FeeSetting.NON_FACILITY,
                                                        "11").allowed("99491")).isEqualTo(Amount.of("90.18"));
        assertThat(repository.forYear(2025).version()).isEqualTo("ccm-rules-2025.2");
    }

    @Test
    @DisplayName("An override may add a year nothing ships for")
    void overrideForANewYear(@TempDir Path practice) {
        RuleDataOverrides.writeRaw(practice, 2027, RuleDataOverrides.shipped(2026).put("year", 2027)
                .put("version", "practice-2027.1").toPrettyString().replace("2026-", "2027-"));

        assertThat(new RuleDataRepository(practice).forYear(2027).version()).isEqualTo("practice-2027.1");
    }

    @Test
    @DisplayName("An override reusing the shipped version is refused: statements could not tell them apart")
    void overrideMustHaveItsOwnVersion(@TempDir Path practice) {
        RuleDataOverrides.write(practice, 2025, data -> data.put("version", "ccm-rules-2025.2"));

        assertThatThrownBy(() -> new RuleDataRepository(practice).forYear(2025))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("own version");
    }

    @Test
    @DisplayName("A malformed override is refused naming the file, never silently replaced by the shipped data")
    void malformedOverrideIsRefused(@TempDir Path practice) {
        Path file = RuleDataOverrides.writeRaw(practice, 2025, "{\"version\": ");

        assertThatThrownBy(() -> new RuleDataRepository(practice).forYear(2025))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(file.toString());
    }

    @Test
    @DisplayName("An override with a misspelt field is refused")
    void unknownFieldIsRefused(@TempDir Path practice) {
        RuleDataOverrides.write(practice, 2025, data -> RuleDataOverrides.family(data, "99490").put("addonCap", 1));

        assertThatThrownBy(() -> new RuleDataRepository(practice).forYear(2025))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("addonCap");
    }

    @Test
    @DisplayName("An override holding another year's data is refused")
    void yearMismatchIsRefused(@TempDir Path practice) {
        RuleDataOverrides.writeRaw(practice, 2025, RuleDataOverrides.shipped(2026).put("version", "x").toString());

        assertThatThrownBy(() -> new RuleDataRepository(practice).forYear(2025))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2026");
    }

    @Test
    @DisplayName("[NF] means no amount: a number under [NF], or a sourced fee without one, is refused")
    void nfCarriesNoNumber(@TempDir Path practice) {
        RuleDataOverrides.write(practice, 2026, data -> RuleDataOverrides.nonFacility(data, "99439")
                                                                         .put("label", "[NF]"));
        assertThatThrownBy(() -> new RuleDataRepository(practice).forYear(2026))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("[NF] has a figure");

        RuleDataOverrides.write(practice, 2026, data -> RuleDataOverrides.nonFacility(data, "99490").putNull("rvu"));
        assertThatThrownBy(() -> new RuleDataRepository(practice).forYear(2026))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs an RVU or an amount");
    }

    @Test
    @DisplayName("R2: a family without its thresholds, or a missing cap, is refused")
    void missingCapIsRefused(@TempDir Path practice) {
        RuleDataOverrides.write(practice, 2025, data -> RuleDataOverrides.family(data, "99487").remove("addOnCap"));

        assertThatThrownBy(() -> new RuleDataRepository(practice).forYear(2025))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("addOnCap");
    }

    @Test
    @DisplayName("R15: conversion factor periods must cover the year")
    void factorGapIsRefused(@TempDir Path practice) {
        RuleDataOverrides.write(practice, 2024, data -> ((ArrayNode) data
                .get("conversionFactors")).remove(0));

        assertThatThrownBy(() -> new RuleDataRepository(practice).forYear(2024))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cover the year");
    }

    private Map<String, Amount> allowed(int year, FeeSetting setting, boolean qp) {
        Map<String, Amount> amounts = new java.util.TreeMap<>();
        FeeSchedule schedule = testSubject.forYear(year).feeSchedule(LocalDate.of(year, 12, 31), qp, setting, "11");
        schedule.prices().forEach((code, priced) -> amounts.put(code, priced.amount()));
        return amounts;
    }
}
