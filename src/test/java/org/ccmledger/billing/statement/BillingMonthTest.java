package org.ccmledger.billing.statement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingAdjustmentIssued.Kind;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.CountedEvent;
import org.ccmledger.billing.api.IssueBillingAdjustment;
import org.ccmledger.billing.api.IssueBillingStatement;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.billing.rules.MonthEvaluator;
import org.ccmledger.billing.rules.PatientHistory;
import org.ccmledger.billing.rules.RuleDataRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Statements and adjustments of one patient-month (P4, R19, R14, edge cases 5 and 6). */
public class BillingMonthTest {

    private static final YearMonth MARCH = YearMonth.of(2025, 3);
    private static final BillingMonthId ID = new BillingMonthId(PatientHistory.ID, MARCH);
    private static final Instant NOW = Instant.parse("2025-04-20T12:00:00Z");
    private final MonthEvaluator evaluator = new MonthEvaluator(new RuleDataRepository(null)::forYear, npi -> false);
    private FixtureConfiguration<BillingMonth> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(BillingMonth.class);
    }

    private MonthEvaluation march(int minutes) {
        return evaluator.evaluate(PatientHistory.standard().staff("a", "2025-03-10T10:00", minutes).record(), MARCH);
    }

    public static BillingStatementIssued statement(BillingMonthId id, MonthEvaluation e) {
        List<CountedEvent> counted = e.eventsCounted().stream()
                                      .map(r -> new CountedEvent(r.aggregateId(), r.sequence(), r.eventId(), "h"))
                                      .toList();
        return new BillingStatementIssued(id, BillingIds.statementId(id), e.month(), e.billingPractitioner(),
                                          e.family(), e.lines(), e.total().knownPart(), e.total().complete(),
                                          e.coinsurance().value().orElse(null), e.dateOfService(), e.feeBasis(), 3,
                                          e.carePlanVersion(), e.diagnoses(), counted, e.minutes(), e.flags(),
                                          e.alternatives(), e.visitAddOns());
    }

    private IssueBillingAdjustment adjustment(MonthEvaluation now) {
        return adjustment(now, "late-event");
    }

    private IssueBillingAdjustment adjustment(MonthEvaluation now, String... triggeredBy) {
        return new IssueBillingAdjustment(ID, now, List.of(), 9, 0, List.of(triggeredBy));
    }

    @Test
    @DisplayName("R12: closing a month issues its statement; closing twice changes nothing")
    void closingTwiceChangesNothing() {
        BillingStatementIssued statement = statement(ID, march(45));
        fixture.givenNoPriorActivity()
               .when(new IssueBillingStatement(ID, statement))
               .expectEvents(statement)
               .expectResultMessagePayload(statement.statementId());
        fixture.given(statement)
               .when(new IssueBillingStatement(ID, statement(ID, march(75))))
               .expectNoEvents()
               .expectResultMessagePayload(statement.statementId());
    }

    @Test
    @DisplayName("P4, edge case 5: a late entry after close adds units on a replacement claim; the statement stands")
    void lateEntryAddsUnits() {
        BillingStatementIssued statement = statement(ID, march(25));
        fixture.givenCurrentTime(NOW).andGiven(statement)
               .when(adjustment(march(45)))
               .expectSuccessfulHandlerExecution()
               .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                       org.axonframework.test.matchers.Matchers.messageWithPayload(
                               org.hamcrest.Matchers.any(BillingAdjustmentIssued.class))));
        BillingAdjustmentIssued issued = adjustmentIssued(statement, march(45));
        assertThat(issued.kind()).isEqualTo(Kind.ADDITIONAL_UNITS);
        assertThat(issued.addedLines()).extracting(StatementLine::code, StatementLine::units)
                                       .containsExactly(org.assertj.core.groups.Tuple.tuple("99439", 1));
        assertThat(issued.amountDue()).isEqualByComparingTo("45.93");
        assertThat(issued.overpayment()).isEqualByComparingTo("0");
        assertThat(issued.refundDueBy()).isNull();
        assertThat(issued.replacesClaimId()).isEqualTo(statement.statementId());
        assertThat(issued.adjustmentId()).isEqualTo(statement.statementId() + "-a1");
    }

    @Test
    @DisplayName("R19, R14, edge case 6: a correction below the threshold after close is an overpayment due in 60 days")
    void correctionBelowThresholdIsAnOverpayment() {
        BillingAdjustmentIssued issued = adjustmentIssued(statement(ID, march(25)), march(15));
        assertThat(issued.kind()).isEqualTo(Kind.OVERPAYMENT);
        assertThat(issued.lines()).isEmpty();
        assertThat(issued.removedLines()).extracting(StatementLine::code).containsExactly("99490");
        assertThat(issued.overpayment()).isEqualByComparingTo("60.49");
        assertThat(issued.coinsuranceRefund()).isEqualByComparingTo("12.10");
        assertThat(issued.identifiedOn()).isEqualTo(LocalDate.of(2025, 4, 20));
        assertThat(issued.refundDueBy()).isEqualTo(LocalDate.of(2025, 6, 19));
        assertThat(issued.reasons()).extracting(r -> r.rule()).contains("P4", "R19", "R14", "R2");
    }

    @Test
    @DisplayName("P4: a recomputation with the same codes and units issues nothing, so repeats and replays are safe")
    void sameUnitsIssueNothing() {
        BillingStatementIssued statement = statement(ID, march(25));
        fixture.givenCurrentTime(NOW).andGiven(statement)
               .when(adjustment(march(30)))
               .expectNoEvents();
    }

    @Test
    @DisplayName("P4: a second adjustment replaces the first one's claim")
    void secondAdjustmentReplacesTheFirst() {
        BillingStatementIssued statement = statement(ID, march(25));
        BillingAdjustmentIssued first = adjustmentIssued(statement, march(45));
        fixture.givenCurrentTime(NOW).andGiven(statement, first)
               .when(adjustment(march(65), "later-event"))
               .expectResultMessagePayload(statement.statementId() + "-a2");
    }

    @Test
    @DisplayName("P4: an event delivered again adjusts the month no more, though the month changed since; its own "
                 + "events adjust it, and a recheck of the statement, which names none, still does")
    void anEventDeliveredAgainAdjustsNoMore() {
        BillingStatementIssued statement = statement(ID, march(25));
        BillingAdjustmentIssued first = adjustmentIssued(statement, march(45));
        assertThat(first.triggeredBy()).containsExactly("late-event");

        // the node that handled late-event died before storing its token: the survivor handles it again after
        // another entry landed
        fixture.givenCurrentTime(NOW).andGiven(statement, first)
               .when(adjustment(march(65), "late-event"))
               .expectNoEvents()
               .expectResultMessagePayload(null);
        fixture.givenCurrentTime(NOW).andGiven(statement, first)
               .when(adjustment(march(65), "late-event", "later-event"))
               .expectResultMessagePayload(statement.statementId() + "-a2");
        fixture.givenCurrentTime(NOW).andGiven(statement, first)
               .when(adjustment(march(65), new String[0]))
               .expectResultMessagePayload(statement.statementId() + "-a2");
    }

    private BillingAdjustmentIssued adjustmentIssued(BillingStatementIssued statement, MonthEvaluation now) {
        return adjustmentIssued(NOW, statement, adjustment(now));
    }

    private BillingAdjustmentIssued adjustmentIssued(Instant at, BillingStatementIssued statement,
                                                     IssueBillingAdjustment command) {
        BillingAdjustmentIssued[] captured = new BillingAdjustmentIssued[1];
        fixture.givenCurrentTime(at).andGiven(statement)
               .when(command)
               .expectEventsMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                       org.axonframework.test.matchers.Matchers.exactSequenceOf(new org.hamcrest.BaseMatcher<Object>() {
                           @Override
                           public boolean matches(Object item) {
                               captured[0] = (BillingAdjustmentIssued) item;
                               return true;
                           }

                           @Override
                           public void describeTo(org.hamcrest.Description description) {
                               description.appendText("an adjustment");
                           }
                       })));
        return captured[0];
    }

    @Test
    @DisplayName("R19, R15: removing a unit whose amount is unknown is an overpayment of unknown amount, still due in 60 days")
    void overpaymentOfUnknownAmount() {
        // 2025 at a facility place of service: ccm-rules.md gives no facility amounts for 2025 ([NF])
        MonthEvaluator facility = new MonthEvaluator(
                org.ccmledger.billing.rules.RuleDataSource.byYear(new RuleDataRepository(null)::forYear), code -> false,
                (practice, location) -> "22",
                (code, on) -> new org.ccmledger.codeset.api.Billability(
                        code, on, org.ccmledger.codeset.api.Billability.Status.BILLABLE, "any", true),
                org.ccmledger.billing.rules.PlacesOfService.shipped());
        YearMonth march2025 = YearMonth.of(2025, 3);
        BillingMonthId id = new BillingMonthId(PatientHistory.ID, march2025);
        MonthEvaluation before = facility.evaluate(PatientHistory.standard().staff("a", "2025-03-10T10:00", 45)
                                                                 .record(), march2025);
        MonthEvaluation after = facility.evaluate(PatientHistory.standard().staff("a", "2025-03-10T10:00", 39)
                                                                .record(), march2025);
        BillingAdjustmentIssued[] captured = {adjustmentIssued(Instant.parse("2025-04-20T12:00:00Z"),
                                                               statement(id, before),
                                                               new IssueBillingAdjustment(id, after, List.of(), 9, 0,
                                                                                          List.of("correction")))};
        assertThat(captured[0].kind()).isEqualTo(Kind.OVERPAYMENT);
        assertThat(captured[0].removedLines()).extracting(StatementLine::code).containsExactly("99439");
        assertThat(captured[0].overpayment()).as("unknown, never 0").isNull();
        assertThat(captured[0].coinsuranceRefund()).isNull();
        assertThat(captured[0].refundDueBy()).isEqualTo(LocalDate.of(2025, 6, 19));
    }

    @Test
    @DisplayName("Edge case 7, R12: a death recorded after close moves the date of service: a correction, same units")
    void deathAfterCloseCorrectsTheDateOfService() {
        MonthEvaluation closed = march(25);
        MonthEvaluation withDeath = evaluator.evaluate(PatientHistory.standard().staff("a", "2025-03-10T10:00", 25)
                                                                     .died(LocalDate.of(2025, 3, 20)).record(), MARCH);
        BillingAdjustmentIssued issued = adjustmentIssued(statement(ID, closed), withDeath);
        assertThat(issued.kind()).isEqualTo(Kind.CORRECTION);
        assertThat(issued.lines()).extracting(StatementLine::servicedDate).containsExactly(LocalDate.of(2025, 3, 20));
        assertThat(issued.amountDue()).isEqualByComparingTo("0");
        assertThat(issued.overpayment()).isEqualByComparingTo("0");
    }

    @Test
    @DisplayName("R19: units found more than a year after the date of service are not billed; removals still are")
    void timelyFiling() {
        BillingStatementIssued statement = statement(ID, march(25));
        fixture.givenCurrentTime(Instant.parse("2026-05-01T12:00:00Z")).andGiven(statement)
               .when(adjustment(march(45)))
               .expectNoEvents();
        fixture.givenCurrentTime(Instant.parse("2026-05-01T12:00:00Z")).andGiven(statement)
               .when(adjustment(march(15)))
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload(statement.statementId() + "-a1");
    }

    @Test
    void statementIdsAreDeterministicAndFreeOfPatientIds() {
        assertThat(BillingIds.statementId(ID)).isEqualTo(BillingIds.statementId(
                new BillingMonthId(PatientHistory.ID, MARCH))).doesNotContain("pt-1").hasSize(28);
        assertThat(BillingIds.statementId(ID)).isNotEqualTo(BillingIds.statementId(
                new BillingMonthId(PatientHistory.ID, MARCH.plusMonths(1))));
    }
}
