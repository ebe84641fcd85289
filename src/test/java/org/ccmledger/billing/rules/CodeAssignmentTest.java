package org.ccmledger.billing.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ccmledger.billing.rules.CareMonthMother.in;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.ccmledger.billing.api.Amount;
import org.ccmledger.billing.api.AssignedCodes;
import org.ccmledger.billing.api.BillingLine;
import org.ccmledger.billing.api.CcmFamily;
import org.ccmledger.billing.api.FamilyEvaluation;
import org.ccmledger.billing.api.FamilyEvaluation.Outcome;
import org.ccmledger.billing.api.Reason;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodeAssignmentTest {

    private static final RuleDataRepository SHIPPED = new RuleDataRepository(null);
    private static final Map<Integer, RuleData> YEARS = new ConcurrentHashMap<>();

    private static AssignedCodes assign(CareMonthMother month) {
        CareMonth careMonth = month.build();
        RuleData rules = YEARS.computeIfAbsent(careMonth.month().getYear(), SHIPPED::forYear);
        CodeAssignment testSubject = new CodeAssignment(rules);
        return withoutBasis(testSubject.assign(careMonth));
    }

    /** The result with each line's basis left out, so lines compare by code, units and amount. */
    private static AssignedCodes withoutBasis(AssignedCodes result) {
        return new AssignedCodes(result.month(), result.feeBasis(), result.evaluations().stream()
                .map(e -> new FamilyEvaluation(e.family(), e.outcome(), e.lines().stream()
                        .map(l -> new BillingLine(l.code(), l.units(), l.unitAmount())).toList(), e.reasons()))
                .toList());
    }

    private static FamilyEvaluation evaluation(AssignedCodes result, CcmFamily family) {
        return result.evaluations().stream().filter(e -> e.family() == family).findFirst().orElseThrow();
    }

    private static BillingLine line(String code, int units, String unitAmount) {
        return new BillingLine(code, units, unitAmount == null ? Amount.unknown() : Amount.of(unitAmount));
    }

    @Nested
    @DisplayName("R2: thresholds fully met, no rounding")
    class Thresholds {

        @Test
        @DisplayName("R2: T=19 earns nothing")
        void nineteenMinutesEarnNothing() {
            AssignedCodes result = assign(in("2025-05").counted(19));

            assertThat(result.family()).isEmpty();
            assertThat(result.lines()).isEmpty();
            assertThat(evaluation(result, CcmFamily.NON_COMPLEX).reasons())
                    .containsExactly(new Reason("R2", "T=19 below 20 minutes for 99490"));
        }

        @ParameterizedTest(name = "R2: T={0} → 99490 + {1}×99439")
        @CsvSource({"20, 0", "39, 0", "40, 1", "59, 1", "60, 2", "75, 2"})
        void nonComplexAddOnsPerFullTwentyMinutes(int minutes, int addOnUnits) {
            AssignedCodes result = assign(in("2025-05").counted(minutes));

            assertThat(result.family()).contains(CcmFamily.NON_COMPLEX);
            assertThat(result.lines().get(0)).isEqualTo(line("99490", 1, "60.49"));
            assertThat(result.lines()).hasSize(addOnUnits == 0 ? 1 : 2);
            if (addOnUnits > 0) {
                assertThat(result.lines().get(1)).isEqualTo(line("99439", addOnUnits, "45.93"));
            }
        }

        @Test
        @DisplayName("R2: the examples of ccm-rules.md with 2025 amounts: T=39, 40, 75")
        void theExamplesOfTheRulesDocument() {
            assertThat(assign(in("2025-05").counted(39)).lines()).containsExactly(line("99490", 1, "60.49"));
            AssignedCodes forty = assign(in("2025-05").counted(40));
            assertThat(forty.lines()).containsExactly(line("99490", 1, "60.49"), line("99439", 1, "45.93"));
            assertThat(forty.total()).hasToString("106.42");
            AssignedCodes seventyFive = assign(in("2025-05").counted(75));
            assertThat(seventyFive.lines()).containsExactly(line("99490", 1, "60.49"), line("99439", 2, "45.93"));
            assertThat(seventyFive.total()).hasToString("152.35");
        }

        @Test
        @DisplayName("R2: 99439 is capped at 2 units from the year's data, and the statement says what the cap cut")
        void nonComplexAddOnCap() {
            AssignedCodes result = assign(in("2025-05").counted(100));

            assertThat(result.lines()).containsExactly(line("99490", 1, "60.49"), line("99439", 2, "45.93"));
            assertThat(result.billed().orElseThrow().reasons()).contains(
                    new Reason("R2", "T=100 earns 4 units of 99439, capped at 2 ([S] S6,S11, ccm-rules-2025.2)"));
        }

        @Test
        @DisplayName("R2: complex T=89 → 99487 only; T=90 → 99487 + 1×99489")
        void complexExamples() {
            FamilyEvaluation eightyNine = evaluation(assign(in("2025-05").counted(89).complex()), CcmFamily.COMPLEX);
            assertThat(eightyNine.lines()).containsExactly(line("99487", 1, "131.65"));

            AssignedCodes ninety = assign(in("2025-05").counted(90).complex());
            assertThat(ninety.family()).contains(CcmFamily.COMPLEX);
            assertThat(ninety.lines()).containsExactly(line("99487", 1, "131.65"), line("99489", 1, "70.52"));
            assertThat(ninety.total()).hasToString("202.17");
        }

        @Test
        @DisplayName("R2: 99489 is capped at 10 units ([S3] MUE, from data)")
        void complexAddOnCap() {
            AssignedCodes result = assign(in("2025-05").counted(60 + 12 * 30).complex());

            assertThat(result.lines()).containsExactly(line("99487", 1, "131.65"), line("99489", 10, "70.52"));
            assertThat(result.billed().orElseThrow().reasons()).contains(new Reason(
                    "R2", "T=420 earns 12 units of 99489, capped at 10 ([S3] S25 (third-party MUE; no CMS cap found), "
                          + "ccm-rules-2025.2)"));
        }

        @Test
        @DisplayName("R2: complex T=59 with both P1 conditions is not complex CCM")
        void complexBelowSixty() {
            FamilyEvaluation complex = evaluation(assign(in("2025-05").counted(59).complex()), CcmFamily.COMPLEX);

            assertThat(complex.outcome()).isEqualTo(Outcome.NOT_ELIGIBLE);
            assertThat(complex.reasons()).containsExactly(new Reason("R2", "T=59 below 60 minutes for 99487"));
        }
    }

    @Nested
    @DisplayName("R2, R3: the billing practitioner's personal time, 99491 ± 99437")
    class PractitionerTime {

        @Test
        @DisplayName("R2, R3: P=29 is not 99491")
        void twentyNinePersonalMinutes() {
            FamilyEvaluation result = evaluation(assign(in("2025-05").counted(29).practitioner(29)),
                                                 CcmFamily.PRACTITIONER);

            assertThat(result.outcome()).isEqualTo(Outcome.NOT_ELIGIBLE);
            assertThat(result.reasons()).containsExactly(new Reason(
                    "R2", "P=29 below 30 minutes for 99491 "
                          + "(only the billing practitioner's personal time counts, R3)"));
        }

        @Test
        @DisplayName("R2, R3, P1: P=30 → 99491, which pays more than 99490 in 2025 (82.16 > 60.49)")
        void thirtyPersonalMinutes() {
            AssignedCodes result = assign(in("2025-05").counted(30).practitioner(30));

            assertThat(result.family()).contains(CcmFamily.PRACTITIONER);
            assertThat(result.lines()).containsExactly(line("99491", 1, "82.16"));
        }

        @Test
        @DisplayName("R2: P=60 → 99491 + 1×99437")
        void sixtyPersonalMinutes() {
            FamilyEvaluation result = evaluation(assign(in("2025-05").counted(60).practitioner(60)),
                                                 CcmFamily.PRACTITIONER);

            assertThat(result.lines()).containsExactly(line("99491", 1, "82.16"), line("99437", 1, "57.58"));
            assertThat(result.total()).hasToString("139.74");
        }

        @Test
        @DisplayName("R2: 99437 is capped at 2 units ([S3] MUE, from data)")
        void practitionerAddOnCap() {
            FamilyEvaluation result = evaluation(assign(in("2025-05").counted(150).practitioner(150)),
                                                 CcmFamily.PRACTITIONER);

            assertThat(result.lines()).containsExactly(line("99491", 1, "82.16"), line("99437", 2, "57.58"));
        }

        @Test
        @DisplayName("R3: staff minutes never count for 99491")
        void staffMinutesDoNotCountForPersonalCodes() {
            AssignedCodes result = assign(in("2025-05").counted(45).practitioner(10));

            assertThat(result.family()).contains(CcmFamily.NON_COMPLEX);
            assertThat(evaluation(result, CcmFamily.PRACTITIONER).outcome()).isEqualTo(Outcome.NOT_ELIGIBLE);
        }

        @Test
        @DisplayName("R3: the practitioner's minutes are part of the counted minutes, never more")
        void practitionerMinutesArePartOfT() {
            assertThatThrownBy(() -> in("2025-05").counted(20).practitioner(30).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("R3");
        }
    }

    @Nested
    @DisplayName("R1: one calendar month")
    class OneMonth {

        @Test
        @DisplayName("R1: 12 min on 31 Jan and 10 min on 1 Feb qualify neither month")
        void minutesOfTwoMonthsAreNeverAdded() {
            assertThat(assign(in("2025-01").counted(12)).family()).isEmpty();
            assertThat(assign(in("2025-02").counted(10)).family()).isEmpty();
        }

        @Test
        @DisplayName("R1: a month is priced only with its own year's data")
        void anotherYearsDataIsRefused() {
            CodeAssignment testSubject = new CodeAssignment(SHIPPED.forYear(2025));

            assertThatThrownBy(() -> testSubject.assign(in("2026-01").counted(20).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("R1");
        }
    }

    @Nested
    @DisplayName("P1: the qualifying family with the highest allowed amount is billed")
    class FamilyChoice {

        @Test
        @DisplayName("P1: T=60 with complexity in 2025: 99490 + 2×99439 (152.35) beats 99487 (131.65)")
        void nonComplexBeatsComplexAtSixtyMinutesIn2025() {
            AssignedCodes result = assign(in("2025-05").counted(60).complex());

            assertThat(result.family()).contains(CcmFamily.NON_COMPLEX);
            assertThat(result.total()).hasToString("152.35");
            FamilyEvaluation complex = evaluation(result, CcmFamily.COMPLEX);
            assertThat(complex.outcome()).isEqualTo(Outcome.LOST);
            assertThat(complex.lines()).containsExactly(line("99487", 1, "131.65"));
            assertThat(complex.reasons()).containsExactly(
                    new Reason("P1", "lower allowed amount: 131.65 < 152.35 of 99490 ± 99439"));
            assertThat(result.billed().orElseThrow().reasons()).containsExactly(
                    new Reason("P1", "highest allowed amount of 2 qualifying families: 152.35"));
        }

        @Test
        @DisplayName("P1: T=90 with complexity in 2025: 99487 + 99489 (202.17) beats 99490 + 2×99439 (152.35)")
        void complexBeatsNonComplexAtNinetyMinutes() {
            AssignedCodes result = assign(in("2025-05").counted(90).complex());

            assertThat(result.family()).contains(CcmFamily.COMPLEX);
            assertThat(evaluation(result, CcmFamily.NON_COMPLEX).reasons()).containsExactly(
                    new Reason("P1", "lower allowed amount: 152.35 < 202.17 of 99487 ± 99489"),
                    new Reason("R2", "T=90 earns 3 units of 99439, capped at 2 ([S] S6,S11, ccm-rules-2025.2)"));
        }

        @Test
        @DisplayName("P1: complex CCM needs a moderate/high MDM attestation")
        void complexNeedsMdm() {
            FamilyEvaluation complex = evaluation(assign(in("2025-05").counted(120).carePlanRevised()),
                                                  CcmFamily.COMPLEX);

            assertThat(complex.outcome()).isEqualTo(Outcome.NOT_ELIGIBLE);
            assertThat(complex.reasons()).containsExactly(
                    new Reason("P1", "no moderate/high MDM attested for the month"));
        }

        @Test
        @DisplayName("P1: complex CCM needs the care plan established or substantially revised in the month")
        void complexNeedsCarePlanRevision() {
            FamilyEvaluation complex = evaluation(assign(in("2025-05").counted(120).mdmAttested()),
                                                  CcmFamily.COMPLEX);

            assertThat(complex.outcome()).isEqualTo(Outcome.NOT_ELIGIBLE);
            assertThat(complex.reasons()).containsExactly(
                    new Reason("P1", "care plan not established or substantially revised in the month"));
        }

        @Test
        @DisplayName("P1: every reason a family fails is recorded, each with its rule id")
        void everyBlockerIsRecorded() {
            AssignedCodes result = assign(in("2025-05").counted(39));

            assertThat(result.family()).contains(CcmFamily.NON_COMPLEX);
            assertThat(result.alternatives()).extracting(FamilyEvaluation::family)
                                             .containsExactly(CcmFamily.PRACTITIONER, CcmFamily.COMPLEX);
            assertThat(evaluation(result, CcmFamily.COMPLEX).reasons()).containsExactly(
                    new Reason("R2", "T=39 below 60 minutes for 99487"),
                    new Reason("P1", "no moderate/high MDM attested for the month"),
                    new Reason("P1", "care plan not established or substantially revised in the month"));
            assertThat(evaluation(result, CcmFamily.PRACTITIONER).reasons()).extracting(Reason::rule)
                                                                            .containsExactly("R2");
        }

        @Test
        @DisplayName("P1: a tie on complete amounts goes to the family P1 lists first")
        void tieGoesToTheFamilyListedFirst(@TempDir Path practice) {
            RuleDataOverrides.write(practice, 2025, data -> RuleDataOverrides.nonFacility(data, "99491")
                    .set("amounts", RuleDataOverrides.amounts("60.49")));
            CodeAssignment testSubject = new CodeAssignment(new RuleDataRepository(practice).forYear(2025));

            AssignedCodes result = withoutBasis(testSubject.assign(in("2025-05").counted(30).practitioner(30).build()));

            assertThat(result.family()).contains(CcmFamily.NON_COMPLEX);
            assertThat(evaluation(result, CcmFamily.PRACTITIONER).reasons()).containsExactly(new Reason(
                    "P1", "equal allowed amount 60.49 = 60.49 of 99490 ± 99439; "
                          + "a tie goes to the family P1 lists first"));
            assertThat(result.choiceDependsOnUnknownAmounts()).isFalse();
        }
    }

    @Nested
    @DisplayName("R5: one family per patient-month, no orphan add-on")
    class OneFamily {

        @Test
        @DisplayName("R5: whatever the minutes, attestations, QP status and year, at most one family is billed, "
                     + "exactly one when any qualifies, and every add-on rides on its own base code")
        void neverTwoFamiliesNorAnOrphanAddOn() {
            for (int year = 2024; year <= 2026; year++) {
                for (int t = 0; t <= 240; t += 5) {
                    for (int p = 0; p <= t; p += 15) {
                        for (int flags = 0; flags < 8; flags++) {
                            CareMonthMother month = in(year + "-06").counted(t).practitioner(p);
                            month = (flags & 1) != 0 ? month.mdmAttested() : month;
                            month = (flags & 2) != 0 ? month.carePlanRevised() : month;
                            month = (flags & 4) != 0 ? month.qp() : month;
                            assertOneFamilyWithItsOwnCodes(assign(month));
                        }
                    }
                }
            }
        }

        private void assertOneFamilyWithItsOwnCodes(AssignedCodes result) {
            assertThat(result.evaluations()).hasSize(3);
            assertThat(result.evaluations().stream().filter(e -> e.outcome() == Outcome.BILLED)).hasSizeLessThan(2);
            boolean anyQualified = result.evaluations().stream().anyMatch(FamilyEvaluation::qualified);
            assertThat(result.family().isPresent()).isEqualTo(anyQualified);
            result.family().ifPresent(family -> {
                assertThat(result.lines().get(0).code()).isEqualTo(family.baseCode());
                assertThat(result.lines()).extracting(BillingLine::code)
                                          .isSubsetOf(family.baseCode(), family.addOnCode());
            });
        }

        @Test
        @DisplayName("R5: a claim with both 99490 and 99487 fails validation")
        void twoBaseCodesAreRefused() {
            assertThatThrownBy(() -> new FamilyEvaluation(
                    CcmFamily.NON_COMPLEX, Outcome.BILLED,
                    List.of(line("99490", 1, "60.49"), line("99487", 1, "131.65")),
                    List.of(new Reason("P1", "x"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("R5");
        }

        @Test
        @DisplayName("R5: an add-on without its base code fails validation")
        void orphanAddOnIsRefused() {
            assertThatThrownBy(() -> new FamilyEvaluation(
                    CcmFamily.NON_COMPLEX, Outcome.BILLED, List.of(line("99439", 1, "45.93")),
                    List.of(new Reason("P1", "x"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("R5");
        }

        @Test
        @DisplayName("R5: a result billing two families fails validation")
        void twoBilledFamiliesAreRefused() {
            AssignedCodes result = assign(in("2025-05").counted(90).complex());
            FamilyEvaluation nonComplex = evaluation(result, CcmFamily.NON_COMPLEX);
            FamilyEvaluation billedTwice = new FamilyEvaluation(nonComplex.family(), Outcome.BILLED,
                                                                nonComplex.lines(), nonComplex.reasons());

            assertThatThrownBy(() -> new AssignedCodes(result.month(), result.feeBasis(), List.of(
                    result.billed().orElseThrow(), billedTwice, evaluation(result, CcmFamily.PRACTITIONER))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("R5");
        }
    }

    @Nested
    @DisplayName("R15: allowed amounts from the year's fee schedule and conversion factor")
    class AllowedAmounts {

        @Test
        @DisplayName("R15: 2026 QP 99490 = 66.13 × 33.5675 / 33.4009 = 66.46; non-QP 66.13")
        void qpAmountsIn2026() {
            AssignedCodes qp = assign(in("2026-03").counted(20).qp());
            AssignedCodes nonQp = assign(in("2026-03").counted(20));

            assertThat(qp.lines()).containsExactly(line("99490", 1, "66.46"));
            assertThat(qp.feeBasis().conversionFactor()).isEqualByComparingTo("33.5675");
            assertThat(qp.feeBasis().qualifyingParticipant()).isTrue();
            assertThat(nonQp.lines()).containsExactly(line("99490", 1, "66.13"));
            assertThat(nonQp.feeBasis().conversionFactor()).isEqualByComparingTo("33.4009");
        }

        @Test
        @DisplayName("R15: 2026 QP complex T=90 → 99487 145.01 + 99489 78.55, each rounded half-up to cents")
        void qpComplexAmountsIn2026() {
            AssignedCodes result = assign(in("2026-03").counted(90).complex().qp());

            assertThat(result.lines()).containsExactly(line("99487", 1, "145.01"), line("99489", 1, "78.55"));
            assertThat(result.total()).hasToString("223.56");
        }

        @Test
        @DisplayName("R15: before 2026 there is one conversion factor, so QP changes nothing")
        void qpChangesNothingIn2025() {
            AssignedCodes result = assign(in("2025-03").counted(20).qp());

            assertThat(result.lines()).containsExactly(line("99490", 1, "60.49"));
            assertThat(result.feeBasis().conversionFactor()).isEqualByComparingTo("32.3465");
        }

        @Test
        @DisplayName("R15, R12: a month is priced at its last day, so 2024's factor changes between February and March")
        void conversionFactorPeriodsOf2024() {
            AssignedCodes february = assign(in("2024-02").counted(20));
            AssignedCodes march = assign(in("2024-03").counted(20));

            assertThat(february.feeBasis().pricedAt()).isEqualTo(LocalDate.of(2024, 2, 29));
            assertThat(february.feeBasis().conversionFactor()).isEqualByComparingTo("32.7442");
            assertThat(february.feeBasis().conversionFactorLabel()).isEqualTo("[M] S23");
            assertThat(march.feeBasis().conversionFactor()).isEqualByComparingTo("33.2875");
        }

        @Test
        @DisplayName("R14: 2026 99490 $66.13 → coinsurance $13.23")
        void coinsurance() {
            AssignedCodes result = assign(in("2026-03").counted(20));

            assertThat(result.coinsurance()).isEqualTo(Amount.of("13.23"));
            assertThat(result.feeBasis().coinsuranceRate()).isEqualByComparingTo(new BigDecimal("0.20"));
        }

        @Test
        @DisplayName("R15: the rule data version is carried on every result")
        void versionIsCarried() {
            assertThat(assign(in("2024-07").counted(20)).ruleVersion()).isEqualTo("ccm-rules-2024.2");
            assertThat(assign(in("2025-07").counted(5)).ruleVersion()).isEqualTo("ccm-rules-2025.2");
            assertThat(assign(in("2026-07").counted(20)).feeBasis().version()).isEqualTo("ccm-rules-2026.2");
        }
    }

    @Nested
    @DisplayName("Unknown amounts ([NF]) are billed as unknown, never as 0 or a guess")
    class UnknownAmounts {

        @Test
        @DisplayName("R2, R15: 2024 T=40 bills 99490 with an unknown amount ([NF]), and the total says so")
        void unknownBaseAmount() {
            AssignedCodes result = assign(in("2024-04").counted(40));

            assertThat(result.lines()).containsExactly(line("99490", 1, null), line("99439", 1, "47.93"));
            BillingLine base = result.lines().get(0);
            assertThat(base.lineAmount().known()).isFalse();
            assertThat(base.lineAmount()).hasToString("unknown");
            assertThat(result.total().complete()).isFalse();
            assertThat(result.total()).hasToString("47.93 + unknown (99490)");
            assertThat(result.total().amount().known()).isFalse();
            assertThat(result.coinsurance().known()).isFalse();
        }

        @Test
        @DisplayName("P1: 2024 T=60 with complexity: 99490 + 2 x 99439 (95.86 + unknown) wins on known amounts over "
                     + "99487 ([NF]), and the result flags that the choice depends on unknown amounts")
        void choiceOnKnownAmountsIsFlagged() {
            AssignedCodes result = assign(in("2024-04").counted(60).complex());

            assertThat(result.family()).contains(CcmFamily.NON_COMPLEX);
            assertThat(result.total()).hasToString("95.86 + unknown (99490)");
            assertThat(result.choiceDependsOnUnknownAmounts()).isTrue();
            assertThat(evaluation(result, CcmFamily.COMPLEX).reasons().get(0).message())
                    .startsWith("lower allowed amount: 0.00 + unknown (99487) < 95.86 + unknown (99490)")
                    .endsWith("compared on known amounts only, may change once the amount of 99487 is known");
        }

        @Test
        @DisplayName("P1, R15: 2026 prices every family, so P=35 of the practitioner's own time bills 99491 (89.18), "
                     + "not 99490 (66.13)")
        void practitionerTimeBills99491In2026() {
            AssignedCodes result = assign(in("2026-04").counted(35).practitioner(35));

            assertThat(result.family()).contains(CcmFamily.PRACTITIONER);
            assertThat(result.lines()).containsExactly(line("99491", 1, "89.18"));
            assertThat(result.choiceDependsOnUnknownAmounts()).isFalse();
            assertThat(evaluation(result, CcmFamily.NON_COMPLEX).reasons().get(0).message())
                    .isEqualTo("lower allowed amount: 66.13 < 89.18 of 99491 ± 99437");
        }

        @Test
        @DisplayName("P1, R15: 2026 T=60 with complexity: 99490 + 2 x 99439 (167.01) beats 99487 (144.29)")
        void nonComplexBeatsComplexAtSixtyMinutesIn2026() {
            AssignedCodes result = assign(in("2026-04").counted(60).complex());

            assertThat(result.family()).contains(CcmFamily.NON_COMPLEX);
            assertThat(result.total()).hasToString("167.01");
        }

        @Test
        @DisplayName("P1: 2024 99490 and 99491 are both [NF]: the tie on known amounts goes to 99490, flagged")
        void tieOfUnknownsGoesToTheFamilyListedFirst() {
            AssignedCodes result = assign(in("2024-06").counted(30).practitioner(30));

            assertThat(result.family()).contains(CcmFamily.NON_COMPLEX);
            assertThat(result.total()).hasToString("0.00 + unknown (99490)");
            assertThat(result.choiceDependsOnUnknownAmounts()).isTrue();
            assertThat(evaluation(result, CcmFamily.PRACTITIONER).reasons().get(0).message())
                    .startsWith("equal allowed amount 0.00 + unknown (99491) = 0.00 + unknown (99490)");
        }
    }

    @Nested
    @DisplayName("Rule data a practice overrides without a release")
    class PracticeOverride {

        @Test
        @DisplayName("R2: a cap set in the practice's data applies, under the override's version")
        void overriddenCapApplies(@TempDir Path practice) {
            RuleDataOverrides.write(practice, 2025, data -> RuleDataOverrides.family(data, "99490").put("addOnCap", 1));
            CodeAssignment testSubject = new CodeAssignment(new RuleDataRepository(practice).forYear(2025));

            AssignedCodes result = withoutBasis(testSubject.assign(in("2025-05").counted(75).build()));

            assertThat(result.lines()).containsExactly(line("99490", 1, "60.49"), line("99439", 1, "45.93"));
            assertThat(result.ruleVersion()).isEqualTo("ccm-rules-2025.1+practice-7");
        }

        @Test
        @DisplayName("R15: an amount the practice fills in replaces the unknown (2024 99490, [NF] in ccm-rules.md)")
        void overriddenAmountApplies(@TempDir Path practice) {
            RuleDataOverrides.write(practice, 2024, data -> RuleDataOverrides.nonFacility(data, "99490")
                    .put("label", "[M]").set("amounts", RuleDataOverrides.amounts("61.00")));
            CodeAssignment testSubject = new CodeAssignment(new RuleDataRepository(practice).forYear(2024));

            AssignedCodes result = withoutBasis(testSubject.assign(in("2024-04").counted(40).build()));

            assertThat(result.total()).hasToString("108.93");
            assertThat(result.total().complete()).isTrue();
        }
    }
}
