package org.ccmledger.billing.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ccmledger.billing.rules.PatientHistory.NPI;
import static org.ccmledger.billing.rules.PatientHistory.OTHER_NPI;
import static org.ccmledger.billing.rules.PatientHistory.at;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;

import org.ccmledger.billing.api.Amount;
import org.ccmledger.billing.api.CcmFamily;
import org.ccmledger.billing.api.EventRef;
import org.ccmledger.billing.api.FeeSetting;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.codeset.api.Billability;
import org.ccmledger.codeset.api.DiagnosisCodes;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PatientEnrolled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The patient-month decision, from events, with the examples of ccm-rules.md. 2025 amounts unless said. */
class MonthEvaluatorTest {

    private static final YearMonth MARCH = YearMonth.of(2025, 3);
    private final MonthEvaluator evaluator = new MonthEvaluator(new RuleDataRepository(null)::forYear, npi -> false);

    private MonthEvaluation march(PatientHistory history) {
        return evaluator.evaluate(history.record(), MARCH);
    }

    private static List<String> codes(MonthEvaluation e) {
        return e.lines().stream().map(l -> l.code() + "x" + l.units()).toList();
    }

    private static List<String> rules(List<Reason> reasons) {
        return reasons.stream().map(Reason::rule).toList();
    }

    @ParameterizedTest(name = "R2: T={0} bills {1}")
    @CsvSource({"19, ''", "20, 99490x1", "39, 99490x1", "40, 99490x1 99439x1", "60, 99490x1 99439x2",
                "75, 99490x1 99439x2"})
    void r2ThresholdsAreFullyMetWithoutRounding(int minutes, String expected) {
        MonthEvaluation e = march(PatientHistory.standard().staff("e1", "2025-03-10T10:00", minutes));

        assertThat(String.join(" ", codes(e))).isEqualTo(expected);
        assertThat(e.minutes().counted()).isEqualTo(minutes);
        if (expected.isEmpty()) {
            assertThat(rules(e.blockers())).containsExactly("R2");
            assertThat(e.family()).isNull();
        } else {
            assertThat(e.blockers()).isEmpty();
            assertThat(e.family()).isEqualTo(CcmFamily.NON_COMPLEX);
        }
    }

    @ParameterizedTest(name = "R2: T={0} (staff) and P={1} (practitioner) next earn {2}")
    @CsvSource({"16, 0, 99490 at 20 (4 to go)", "37, 0, 99439 at 40 (3 to go)",
                "60, 0, 99491 at 30 (30 to go)", "0, 27, 99491 at 30 (3 to go)"})
    void r2TheNextCodeOrUnitAndTheMinutesItNeeds(int staff, int practitioner, String expected) {
        PatientHistory history = PatientHistory.standard();
        if (staff > 0) {
            history.staff("rn", "2025-03-10T10:00", staff);
        }
        if (practitioner > 0) {
            history.log("dr", PerformerRole.BILLING_PRACTITIONER, at("2025-03-11T10:00"), practitioner);
        }
        MonthEvaluation e = march(history);

        org.ccmledger.billing.api.NextUnit next = evaluator.nextUnit(e).orElseThrow();
        assertThat(next.code() + " at " + next.threshold() + " (" + next.minutesToGo() + " to go)")
                .isEqualTo(expected);
        assertThat(next.minutes() + next.minutesToGo()).isEqualTo(next.threshold());
    }

    @Test
    @DisplayName("R2, P1: complex T=89 bills 99487 only where it wins; T=90 bills 99487 + 99489 ($202.17)")
    void complexThresholds() {
        PatientHistory complex = PatientHistory.standard().complexity(MARCH)
                                               .carePlan(2, at("2025-03-03T10:00"), true);
        MonthEvaluation at89 = march(complex.staff("e1", "2025-03-10T10:00", 89));
        assertThat(codes(at89)).containsExactly("99490x1", "99439x2");
        assertThat(at89.alternatives()).anySatisfy(a -> {
            assertThat(a.family()).isEqualTo(CcmFamily.COMPLEX);
            assertThat(a.lines()).extracting(StatementLine::code).containsExactly("99487");
            assertThat(rules(a.reasons())).contains("P1");
        });

        MonthEvaluation at90 = march(PatientHistory.standard().complexity(MARCH)
                                                   .carePlan(2, at("2025-03-03T10:00"), true)
                                                   .staff("e1", "2025-03-10T10:00", 90));
        assertThat(codes(at90)).containsExactly("99487x1", "99489x1");
        assertThat(at90.total().knownPart()).isEqualByComparingTo("202.17");
    }

    @Test
    @DisplayName("P1: complex CCM needs the month's MDM attestation and a substantial care-plan revision")
    void complexNeedsAttestationAndRevision() {
        MonthEvaluation noRevision = march(PatientHistory.standard().complexity(MARCH)
                                                         .staff("e1", "2025-03-10T10:00", 120));
        assertThat(noRevision.family()).isEqualTo(CcmFamily.NON_COMPLEX);
        assertThat(noRevision.alternatives()).anySatisfy(a -> {
            assertThat(a.family()).isEqualTo(CcmFamily.COMPLEX);
            assertThat(a.reasons()).extracting(Reason::message)
                                   .anySatisfy(m -> assertThat(m).contains("substantially revised"));
        });
    }

    @Test
    @DisplayName("R1, P3: 12 min on 31 Jan plus 10 min on 1 Feb qualifies neither month; an entry across midnight splits")
    void monthBoundaries() {
        PatientHistory history = PatientHistory.standard().staff("jan", "2025-01-31T15:00", 12)
                                               .staff("feb", "2025-02-01T09:00", 10);
        assertThat(evaluator.evaluate(history.record(), YearMonth.of(2025, 1)).lines()).isEmpty();
        assertThat(evaluator.evaluate(history.record(), YearMonth.of(2025, 2)).lines()).isEmpty();

        PatientHistory crossing = PatientHistory.standard().staff("x", "2025-01-31T23:50", 30);
        MonthEvaluation january = evaluator.evaluate(crossing.record(), YearMonth.of(2025, 1));
        MonthEvaluation february = evaluator.evaluate(crossing.record(), YearMonth.of(2025, 2));
        assertThat(january.minutes().counted()).isEqualTo(10);
        assertThat(february.minutes().counted()).isEqualTo(20);
        assertThat(codes(february)).containsExactly("99490x1");
        assertThat(february.dateOfService()).isEqualTo(LocalDate.of(2025, 2, 28));
    }

    @Test
    @DisplayName("P3: the month is the billing location's, not UTC's")
    void monthInTheBillingLocationsZone() {
        // 1 April 02:00 UTC is still 31 March in New York
        PatientHistory history = PatientHistory.standard()
                                               .log("e", PerformerRole.CLINICAL_STAFF,
                                                    java.time.Instant.parse("2025-04-01T02:00:00Z"), 25);
        assertThat(codes(march(history))).containsExactly("99490x1");
    }

    @Test
    @DisplayName("P2: overlapping entries count each clock minute once; edge case 8")
    void overlappingEntriesCountOnce() {
        MonthEvaluation e = march(PatientHistory.standard().staff("a", "2025-03-10T10:00", 20)
                                                .staff("b", "2025-03-10T10:10", 20));
        assertThat(e.minutes().counted()).isEqualTo(30);
        assertThat(e.minutes().staff()).isEqualTo(30);
        assertThat(codes(e)).containsExactly("99490x1");
    }

    @Test
    @DisplayName("R3, P1: the practitioner's own 30 minutes bill 99491 ($82.16) over 99490 ($60.49)")
    void practitionerTime() {
        MonthEvaluation e = march(PatientHistory.standard()
                                                .log("dr", PerformerRole.BILLING_PRACTITIONER,
                                                     at("2025-03-10T10:00"), 30)
                                                .staff("rn", "2025-03-10T10:25", 10));
        assertThat(e.minutes().billingPractitioner()).isEqualTo(30);
        assertThat(e.minutes().staff()).isEqualTo(10);
        assertThat(e.minutes().counted()).isEqualTo(35);
        assertThat(e.family()).isEqualTo(CcmFamily.PRACTITIONER);
        assertThat(codes(e)).containsExactly("99491x1");
    }

    @Test
    @DisplayName("P4: corrections and voids apply; the voided and corrected events are still read")
    void correctionsAndVoids() {
        PatientHistory history = PatientHistory.standard().staff("a", "2025-03-10T10:00", 30)
                                               .staff("b", "2025-03-11T10:00", 30)
                                               .correct("a", at("2025-03-10T10:00"), 30, at("2025-03-10T10:00"), 15)
                                               .voidEntry("b");
        MonthEvaluation e = march(history);
        assertThat(e.minutes().counted()).isEqualTo(15);
        assertThat(e.lines()).isEmpty();
        assertThat(e.eventsCounted()).extracting(EventRef::eventId).contains("ev-2", "ev-3", "ev-4", "ev-5");
    }

    @Test
    @DisplayName("R4: inpatient days do not count; the rest of the month does")
    void inpatientDaysExcluded() {
        MonthEvaluation e = march(PatientHistory.standard().staff("a", "2025-03-05T10:00", 20)
                                                .staff("b", "2025-03-20T10:00", 20)
                                                .stay(LocalDate.of(2025, 3, 4), LocalDate.of(2025, 3, 6)));
        assertThat(e.minutes().counted()).isEqualTo(20);
        assertThat(codes(e)).containsExactly("99490x1");
    }

    @Test
    @DisplayName("Edge case 7: death mid-month: time up to death counts, date of service is the date of death")
    void deathMidMonth() {
        MonthEvaluation e = march(PatientHistory.standard().staff("a", "2025-03-10T10:00", 25)
                                                .staff("b", "2025-03-16T10:00", 30)
                                                .died(LocalDate.of(2025, 3, 15)));
        assertThat(e.minutes().counted()).isEqualTo(25);
        assertThat(e.dateOfService()).isEqualTo(LocalDate.of(2025, 3, 15));
        assertThat(e.lines()).allSatisfy(l -> assertThat(l.servicedDate()).isEqualTo(LocalDate.of(2025, 3, 15)));
    }

    @Test
    @DisplayName("R8, edge case 3: consent revoked mid-month ends at month end: this month bills, the next has no consent")
    void consentRevokedMidMonth() {
        PatientHistory history = PatientHistory.standard().staff("a", "2025-03-20T10:00", 25)
                                               .revoke(NPI, at("2025-03-21T10:00"), at("2025-04-01T00:00"));
        assertThat(codes(march(history))).containsExactly("99490x1");
        MonthEvaluation april = evaluator.evaluate(history.record(), YearMonth.of(2025, 4));
        assertThat(rules(april.blockers())).contains("R8");
    }

    @Test
    @DisplayName("R8: time before the consent does not count; no consent at all blocks")
    void consentRequired() {
        PatientHistory noConsent = new PatientHistory()
                .add(new PatientEnrolled(PatientHistory.ID, new Npi(NPI), PatientHistory.NEW_YORK,
                                         List.of(PatientHistory.DIABETES, PatientHistory.HYPERTENSION), false, false))
                .carePlan(1, at("2025-01-02T10:00"), false)
                .staff("a", "2025-03-10T10:00", 30)
                .consent(NPI, at("2025-03-10T10:20"))
                .staff("b", "2025-03-11T10:00", 15);
        MonthEvaluation e = march(noConsent);
        assertThat(e.minutes().counted()).isEqualTo(15);
        assertThat(e.lines()).isEmpty();
        MonthEvaluation february = evaluator.evaluate(noConsent.record(), YearMonth.of(2025, 2));
        assertThat(rules(february.blockers())).contains("R8");
    }

    @Test
    @DisplayName("R6, edge case 4: practitioner change mid-month bills one practitioner, with the time under their consent")
    void practitionerChangeMidMonth() {
        PatientHistory history = PatientHistory.standard().staff("old", "2025-03-05T10:00", 25)
                                               .changePractitioner(NPI, OTHER_NPI, at("2025-03-15T00:00"))
                                               .consent(OTHER_NPI, at("2025-03-15T09:00"))
                                               .staff("new", "2025-03-20T10:00", 45);
        MonthEvaluation e = march(history);
        assertThat(e.billingPractitioner()).isEqualTo(OTHER_NPI);
        assertThat(e.minutes().counted()).isEqualTo(45);
        assertThat(codes(e)).containsExactly("99490x1", "99439x1");
        assertThat(e.alternatives()).anySatisfy(a -> {
            assertThat(a.billingPractitioner()).isEqualTo(NPI);
            assertThat(rules(a.reasons())).containsExactly("R6");
        });
    }

    @Test
    @DisplayName("R6: a closed month stays with its practitioner: another practitioner's later time does not move it")
    void pinnedPractitioner() {
        PatientHistory history = PatientHistory.standard().staff("a", "2025-03-05T10:00", 45)
                                               .changePractitioner(NPI, OTHER_NPI, at("2025-03-16T00:00"))
                                               .consent(OTHER_NPI, at("2025-03-16T09:00"))
                                               .staff("b", "2025-03-20T10:00", 25)
                                               .staff("late", "2025-03-28T10:00", 40);
        assertThat(march(history).billingPractitioner()).as("unpinned: the higher bill wins").isEqualTo(OTHER_NPI);
        MonthEvaluation pinned = evaluator.evaluate(history.record(), MARCH, new MonthEvaluator.Pin(NPI, false));
        assertThat(pinned.billingPractitioner()).isEqualTo(NPI);
        assertThat(pinned.minutes().counted()).isEqualTo(45);
        assertThat(codes(pinned)).containsExactly("99490x1", "99439x1");
    }

    @Test
    @DisplayName("R3: time logged as the billing practitioner counts as P only when the performer is the practitioner billed")
    void practitionerTimeIsPersonal() {
        PatientHistory history = PatientHistory.standard().add(new org.ccmledger.caretime.api.CareMinutesLogged(
                PatientHistory.ID, new org.ccmledger.caretime.api.TimeEntryId("other-dr"),
                new org.ccmledger.caretime.api.Performer(OTHER_NPI, PerformerRole.BILLING_PRACTITIONER),
                at("2025-03-10T10:00"), 35, org.ccmledger.caretime.api.CareActivity.OTHER, null));
        MonthEvaluation e = march(history);
        assertThat(e.minutes().billingPractitioner()).isZero();
        assertThat(e.minutes().counted()).isEqualTo(35);
        assertThat(codes(e)).containsExactly("99490x1");
    }

    @Test
    @DisplayName("R7: fewer than two qualifying conditions blocks")
    void eligibility() {
        PatientHistory history = new PatientHistory()
                .add(new PatientEnrolled(PatientHistory.ID, new Npi(NPI), PatientHistory.NEW_YORK,
                                         List.of(PatientHistory.DIABETES,
                                                 new ChronicCondition("J45.909", "Asthma", false, true)),
                                         false, false))
                .consent(NPI, at("2025-01-01T09:00")).carePlan(1, at("2025-01-02T10:00"), false)
                .staff("a", "2025-03-10T10:00", 30);
        MonthEvaluation e = march(history);
        assertThat(rules(e.blockers())).containsExactly("R7");
        assertThat(e.lines()).isEmpty();
        assertThat(e.alternatives()).anySatisfy(a -> assertThat(a.reasons().get(0).rule()).isEqualTo("R7"));
    }

    @Test
    @DisplayName("R10: no care plan by the date of service blocks; one established later in the month counts")
    void carePlanRequired() {
        PatientHistory none = new PatientHistory()
                .add(new PatientEnrolled(PatientHistory.ID, new Npi(NPI), PatientHistory.NEW_YORK,
                                         List.of(PatientHistory.DIABETES, PatientHistory.HYPERTENSION), false, false))
                .consent(NPI, at("2025-01-01T09:00"))
                .staff("a", "2025-03-10T10:00", 30);
        assertThat(rules(march(none).blockers())).containsExactly("R10");
        assertThat(march(none.carePlan(1, at("2025-03-31T16:00"), false)).blockers()).isEmpty();
    }

    @Test
    @DisplayName("R9: a required initiating visit must be on record; G0506 is billed once with the visit's date")
    void initiatingVisit() {
        PatientHistory needsVisit = new PatientHistory()
                .add(new PatientEnrolled(PatientHistory.ID, new Npi(NPI), PatientHistory.NEW_YORK,
                                         List.of(PatientHistory.DIABETES, PatientHistory.HYPERTENSION), false, null))
                .consent(NPI, at("2025-01-01T09:00")).carePlan(1, at("2025-01-02T10:00"), false)
                .staff("a", "2025-03-10T10:00", 30);
        assertThat(rules(march(needsVisit).blockers())).containsExactly("R9");

        needsVisit.visit(LocalDate.of(2025, 3, 3), NPI, true);
        MonthEvaluation e = march(needsVisit);
        assertThat(e.blockers()).isEmpty();
        assertThat(codes(e)).as("G0506 never on the CCM claim").containsExactly("99490x1");
        assertThat(e.visitAddOns()).singleElement().satisfies(g0506 -> {
            assertThat(g0506.code()).isEqualTo("G0506");
            assertThat(g0506.baseCode()).isEqualTo("99213");
            assertThat(g0506.visitDate()).isEqualTo(LocalDate.of(2025, 3, 3));
            assertThat(g0506.practitioner()).isEqualTo(NPI);
            assertThat(g0506.unitAmount()).as("2025 G0506 as ccm-rules.md states it").isEqualByComparingTo("60.81");
        });
        assertThat(e.billable()).isTrue();
        MonthEvaluation april = evaluator.evaluate(needsVisit.staff("b", "2025-04-10T10:00", 30).record(),
                                                   YearMonth.of(2025, 4));
        assertThat(april.visitAddOns()).as("G0506 once, at initiation").isEmpty();
    }

    @ParameterizedTest(name = "exclusion matrix: {0} by {1} practitioner -> {2}")
    @CsvSource({"99495, same, allowed", "99495, other, allowed",
                "99424, same, blocked", "99424, other, allowed",
                "G0557, same, blocked", "G0557, other, allowed",
                "G0568, same, blocked", "G0570, other, allowed",
                "G0181, same, blocked", "G0182, other, allowed",
                "90960, same, blocked", "90960, other, blocked",
                "99457, same, allowed", "99457, other, allowed",
                "99484, same, allowed", "99484, other, allowed"})
    void exclusionMatrix(String code, String who, String outcome) {
        String npi = who.equals("same") ? NPI : OTHER_NPI;
        MonthEvaluation e = march(PatientHistory.standard().staff("a", "2025-03-10T10:00", 30)
                                                .service(code, MARCH, npi));
        if (outcome.equals("blocked")) {
            assertThat(rules(e.blockers())).containsExactly("R5");
            assertThat(e.lines()).isEmpty();
        } else {
            assertThat(codes(e)).containsExactly("99490x1");
            assertThat(rules(e.flags())).contains("R5");
        }
        assertThat(e.blockers().isEmpty() ? e.flags() : e.blockers())
                .anySatisfy(r -> assertThat(r.message()).contains(code));
    }

    @Test
    @DisplayName("R14: coinsurance is 20% of the total; a QMB is flagged and billed none")
    void coinsurance() {
        MonthEvaluation e = march(PatientHistory.standard().staff("a", "2025-03-10T10:00", 25));
        assertThat(e.coinsurance().value()).contains(new BigDecimal("12.10"));

        PatientHistory qmb = new PatientHistory()
                .add(new PatientEnrolled(PatientHistory.ID, new Npi(NPI), PatientHistory.NEW_YORK,
                                         List.of(PatientHistory.DIABETES, PatientHistory.HYPERTENSION), true, false))
                .consent(NPI, at("2025-01-01T09:00")).carePlan(1, at("2025-01-02T10:00"), false)
                .staff("a", "2025-03-10T10:00", 25);
        MonthEvaluation flagged = march(qmb);
        assertThat(codes(flagged)).containsExactly("99490x1");
        assertThat(rules(flagged.flags())).contains("R14");
        assertThat(flagged.coinsurance().value()).contains(new BigDecimal("0.00"));
    }

    @Test
    @DisplayName("R15: 2026 amounts by QP status; an [NF] amount is billed as unknown")
    void feeYearAndQpStatus() {
        PatientHistory history = PatientHistory.standard().staff("a", "2026-03-10T10:00", 45);
        MonthEvaluation nonQp = evaluator.evaluate(history.record(), YearMonth.of(2026, 3));
        assertThat(nonQp.lines().get(0).unitAmount()).isEqualByComparingTo("66.13");
        assertThat(nonQp.lines().get(1).code()).isEqualTo("99439");
        assertThat(nonQp.lines().get(1).unitAmount()).isEqualByComparingTo("50.44");
        assertThat(nonQp.lines().get(1).basis()).isEqualTo("1.51 RVU × 33.4009 = 50.44 ([S] S30)");
        assertThat(nonQp.total().amount()).isEqualTo(Amount.of("116.57"));
        assertThat(nonQp.feeBasis().version()).isEqualTo("ccm-rules-2026.2");
        assertThat(nonQp.feeBasis().setting()).isEqualTo(FeeSetting.NON_FACILITY);
        assertThat(nonQp.feeBasis().placeOfService()).isEqualTo("11");

        MonthEvaluator qpEvaluator = new MonthEvaluator(new RuleDataRepository(null)::forYear, Set.of(NPI)::contains);
        MonthEvaluation qp = qpEvaluator.evaluate(history.record(), YearMonth.of(2026, 3));
        assertThat(qp.lines().get(0).unitAmount()).isEqualByComparingTo("66.46");
        assertThat(qp.lines().get(1).unitAmount()).isEqualByComparingTo("50.69");
        assertThat(qp.feeBasis().qualifyingParticipant()).isTrue();
    }

    @Test
    @DisplayName("R7: a diagnosis no longer billable on the date of service blocks the month, never silently billed")
    void aDiagnosisNoLongerBillableBlocksTheMonth() {
        DiagnosisCodes withoutI10 = (code, on) -> new Billability(code, on, code.equals("I10")
                ? Billability.Status.DELETED : Billability.Status.BILLABLE, "FY2027", true);
        MonthEvaluator checking = new MonthEvaluator(RuleDataSource.byYear(new RuleDataRepository(null)::forYear),
                                                     npi -> false, (practice, location) -> "11", withoutI10,
                                                     PlacesOfService.shipped());

        MonthEvaluation e = checking.evaluate(PatientHistory.standard().staff("a", "2026-03-10T10:00", 30).record(),
                                              YearMonth.of(2026, 3));

        assertThat(e.blockers()).singleElement().satisfies(blocker -> {
            assertThat(blocker.rule()).isEqualTo("R7");
            assertThat(blocker.message()).startsWith("ICD10_NOT_BILLABLE: I10 is no longer billable on 2026-03-31");
        });
        assertThat(e.lines()).isEmpty();
        assertThat(e.billable()).isFalse();
    }

    @Test
    @DisplayName("R7: a date no loaded edition covers is checked against the nearest one and flagged")
    void anEditionNotLoadedIsFlagged() {
        DiagnosisCodes onlyFy2026 = (code, on) -> new Billability(code, on, Billability.Status.BILLABLE, "FY2026",
                                                                  false);
        MonthEvaluator checking = new MonthEvaluator(RuleDataSource.byYear(new RuleDataRepository(null)::forYear),
                                                     npi -> false, (practice, location) -> "11", onlyFy2026,
                                                     PlacesOfService.shipped());

        MonthEvaluation e = checking.evaluate(PatientHistory.standard().staff("a", "2026-03-10T10:00", 30).record(),
                                              YearMonth.of(2026, 3));

        assertThat(e.blockers()).isEmpty();
        assertThat(e.flags()).anySatisfy(flag -> assertThat(flag.message())
                .isEqualTo("diagnoses checked against ICD-10-CM FY2026, the nearest loaded edition: the edition in "
                           + "force on 2026-03-31 is not loaded"));
    }

    @Test
    @DisplayName("R12: the date of service is the last day of the month; events of other months are not counted")
    void dateOfServiceAndEvidence() {
        PatientHistory history = PatientHistory.standard().staff("feb", "2025-02-10T10:00", 30)
                                               .staff("mar", "2025-03-10T10:00", 30);
        MonthEvaluation e = march(history);
        assertThat(e.dateOfService()).isEqualTo(LocalDate.of(2025, 3, 31));
        List<String> ids = e.eventsCounted().stream().map(EventRef::eventId).toList();
        assertThat(ids).contains("ev-0", "ev-1", "ev-3", "cp-0").doesNotContain("ev-2");
    }
}
