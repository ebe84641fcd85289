package org.ccmledger.billing.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import org.ccmledger.billing.api.Amount;
import org.ccmledger.billing.api.CcmFamily;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ArrayNode;

class RuleDataRepositoryTest {

    private final RuleDataRepository testSubject = new RuleDataRepository(null);

    @ParameterizedTest(name = "R15: the shipped {0} data loads under its own version")
    @ValueSource(ints = {2024, 2025, 2026})
    void shippedYearsLoad(int year) {
        RuleData data = testSubject.forYear(year);

        assertThat(data.year()).isEqualTo(year);
        assertThat(data.version()).isEqualTo("ccm-rules-" + year + ".1");
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

    @Test
    @DisplayName("R15: amounts match ccm-rules.md section 4; [NF] cells are unknown, never 0")
    void amountsOfSectionFour() {
        assertThat(allowed(2024)).containsEntry("99439", Amount.of("47.15"))
                                 .containsEntry("99490", Amount.unknown())
                                 .containsEntry("99491", Amount.unknown());
        assertThat(allowed(2025)).containsEntry("99490", Amount.of("60.49")).containsEntry("99439", Amount.of("45.93"))
                                 .containsEntry("99487", Amount.of("131.65")).containsEntry("99489", Amount.of("70.52"))
                                 .containsEntry("99491", Amount.of("82.16")).containsEntry("99437", Amount.of("57.58"))
                                 .containsEntry("G0506", Amount.unknown());
        assertThat(allowed(2026)).containsEntry("99490", Amount.of("66.13")).containsEntry("99439", Amount.unknown())
                                 .containsEntry("99487", Amount.of("144.29")).containsEntry("99489", Amount.of("78.16"))
                                 .containsEntry("99491", Amount.unknown()).containsEntry("99437", Amount.of("63.13"));
        assertThat(testSubject.forYear(2026).fees().get("99439").label()).isEqualTo("[NF]");
        assertThat(testSubject.forYear(2025).fees().get("99490").label()).isEqualTo("[S3]");
    }

    @ParameterizedTest(name = "R15: where {0}'s source gives an RVU, RVU × conversion factor is the stated amount")
    @ValueSource(ints = {2025, 2026})
    void rvusAgreeWithAmounts(int year) {
        RuleData data = testSubject.forYear(year);
        BigDecimal factor = data.conversionFactorOn(LocalDate.of(year, 12, 31)).nonQp();

        data.fees().forEach((code, fee) -> {
            if (fee.rvu() != null) {
                assertThat(fee.rvu().multiply(factor).setScale(2, RoundingMode.HALF_UP)).as(code)
                        .isEqualByComparingTo(fee.amount());
            }
        });
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
        RuleDataOverrides.write(practice, 2026, data -> RuleDataOverrides.fee(data, "99491")
                                                                         .put("amount", 90.00).put("label", "[M]"));
        RuleDataRepository repository = new RuleDataRepository(practice);

        assertThat(repository.forYear(2026).version()).isEqualTo("ccm-rules-2026.1+practice-7");
        assertThat(repository.forYear(2026).fees().get("99491").allowed()).isEqualTo(Amount.of("90.00"));
        assertThat(repository.forYear(2025).version()).isEqualTo("ccm-rules-2025.1");
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
        RuleDataOverrides.write(practice, 2025, data -> data.put("version", "ccm-rules-2025.1"));

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
        RuleDataOverrides.write(practice, 2026, data -> RuleDataOverrides.fee(data, "99439").put("amount", 0));
        assertThatThrownBy(() -> new RuleDataRepository(practice).forYear(2026))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("[NF]");

        RuleDataOverrides.write(practice, 2026, data -> RuleDataOverrides.fee(data, "99490").putNull("amount"));
        assertThatThrownBy(() -> new RuleDataRepository(practice).forYear(2026))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs an amount");
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

    private Map<String, Amount> allowed(int year) {
        return testSubject.forYear(year).feeSchedule(LocalDate.of(year, 12, 31), false).amounts();
    }
}
