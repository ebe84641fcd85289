package org.ccmledger.billing.statement;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.CountedEvent;
import org.ccmledger.billing.api.IssueBillingAdjustment;
import org.ccmledger.billing.api.IssueBillingStatement;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.billing.api.Total;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.billing.readmodel.BillingLedger;
import org.ccmledger.billing.readmodel.BillingProjection;
import org.ccmledger.billing.rules.BillingRules;
import org.ccmledger.billing.rules.MonthEvaluator;
import org.ccmledger.platform.axon.ProcessorCatchUp;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Service;

/**
 * Billing's operations that read the ledger itself: closing a month (statements), adjusting closed months and
 * verifying statements. Blocking: called from tracking processors and, through Reactor's bounded elastic scheduler,
 * from the controller.
 */
@Service
public class BillingService {

    /** The outcome for one patient when a month is closed. */
    public record CloseOutcome(String patientId, String status, String statementId, List<Reason> blockers) {
    }

    /** One field on which a statement and its recomputation differ. */
    public record Difference(String field, String statement, String recomputed) {
    }

    /** A re-verification of a patient-month's statement against the ledger. */
    public record Verification(YearMonth month, String patientId, String statementId, boolean match,
                        List<Difference> differences, int eventsChecked, int adjustments, boolean upToDate,
                        List<Difference> pendingChanges) {
    }

    private final BillingLedger ledger;
    private final MonthEvaluator evaluator;
    private final CommandGateway commands;
    private final ProcessorCatchUp catchUp;
    private final BillingProjection projection;
    /** The ledger as found, unverified on read: verification reports what differs instead of refusing it. */
    private final BillingLedger asFound;
    private final LedgerVerifier verifier;
    /** Where adjustment commands are sent from: outside any unit of work (see {@link #adjust}). */
    private final java.util.concurrent.ExecutorService outside = java.util.concurrent.Executors.newFixedThreadPool(
            2, r -> {
                Thread thread = new Thread(r, "billing-adjustments-send");
                thread.setDaemon(true);
                return thread;
            });

    BillingService(BillingLedger ledger, BillingRules rules, CommandGateway commands, ProcessorCatchUp catchUp,
                   BillingProjection projection, LedgerVerifier verifier) {
        this.ledger = ledger;
        this.asFound = ledger.asFound();
        this.verifier = verifier;
        this.evaluator = rules.evaluator();
        this.commands = commands;
        this.catchUp = catchUp;
        this.projection = projection;
    }

    /**
     * Closes a practice's month (R12): one statement per billable patient-month, computed from the ledger. Patients
     * whose month is already closed keep their statement. The month must have ended everywhere (UTC-12).
     */
    public List<CloseOutcome> close(String practiceId, YearMonth month, MetaData metaData) {
        YearMonth latestEnded = YearMonth.from(GenericEventMessage.clock.instant().atZone(ZoneOffset.ofHours(-12)))
                                         .minusMonths(1);
        if (month.isAfter(latestEnded)) {
            throw Refusal.rule("MONTH_NOT_ENDED", "R12", "a month is closed once it has ended; services may "
                    + "still be furnished until its last day");
        }
        catchUp.await(BillingProjection.PROCESSING_GROUP, java.time.Duration.ofSeconds(10));
        List<CloseOutcome> outcomes = new ArrayList<>();
        for (String patientId : projection.patientsOf(practiceId, month)) {
            EnrollmentId enrollmentId = EnrollmentId.of(practiceId, patientId);
            BillingMonthId id = new BillingMonthId(enrollmentId, month);
            BillingLedger.Folded folded = ledger.fold(enrollmentId);
            if (!folded.record().enrolled()) {
                continue;
            }
            MonthEvaluation evaluation = evaluator.evaluate(folded.record(), month);
            if (!evaluation.billable()) {
                outcomes.add(new CloseOutcome(patientId, "NOT_BILLABLE", null, evaluation.blockers()));
                continue;
            }
            BillingStatementIssued statement = statement(id, evaluation, folded);
            String before = ledger.billingStream(id).isEmpty() ? null : "closed";
            String statementId = commands.sendAndWait(
                    GenericCommandMessage.asCommandMessage(new IssueBillingStatement(id, statement))
                                         .andMetaData(metaData));
            outcomes.add(new CloseOutcome(patientId, before == null ? "ISSUED" : "ALREADY_CLOSED", statementId,
                                          List.of()));
        }
        return outcomes;
    }

    private BillingStatementIssued statement(BillingMonthId id, MonthEvaluation e, BillingLedger.Folded folded) {
        Total total = e.total();
        return new BillingStatementIssued(id, BillingIds.statementId(id), e.month(), e.billingPractitioner(),
                                          e.family(), e.lines(), total.knownPart(), total.complete(),
                                          e.coinsurance().value().orElse(null), e.dateOfService(), e.feeBasis(),
                                          folded.enrollmentSequence(), folded.carePlanVersion(), e.diagnoses(),
                                          ledger.withHashes(e.eventsCounted()), e.minutes(), e.flags(),
                                          e.alternatives(), e.visitAddOns());
    }

    /**
     * Re-evaluates a closed patient-month from the ledger, keeping the statement's practitioner and QP status (R6,
     * R15), and asks its billing aggregate for an adjustment; the aggregate issues one only when the codes, units or
     * dates of service changed (P4, edge cases 5 to 7).
     * <p>
     * The command is sent from a thread of its own, so it commits in its own unit of work before this returns: sent
     * from inside a tracking processor's unit of work it would be stored only after the processor had moved its token
     * past the triggering event, and a failure in between would lose the adjustment. Here a failure reaches the
     * processor, which retries the event.
     */
    public String adjust(BillingMonthId id, List<String> triggeredBy, MetaData metaData) {
        BillingStatementIssued statement = statementOf(id).orElseThrow(
                () -> new IllegalStateException("adjusting a month without a statement"));
        BillingLedger.Folded folded = ledger.fold(id.enrollmentId());
        MonthEvaluation now = evaluator.evaluate(folded.record(), id.month(), pinOf(statement));
        List<CountedEvent> counted = ledger.withHashes(now.eventsCounted());
        IssueBillingAdjustment command = new IssueBillingAdjustment(id, now, counted, folded.enrollmentSequence(),
                                                                    folded.carePlanVersion(), triggeredBy);
        try {
            return CompletableFuture.supplyAsync(() -> commands.<String>sendAndWait(
                    GenericCommandMessage.asCommandMessage(command).andMetaData(metaData)), outside).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static MonthEvaluator.Pin pinOf(BillingStatementIssued statement) {
        // the month stays billed as it was: practitioner (R6), QP status and rule data (R15), place of service (R13)
        return new MonthEvaluator.Pin(statement.billingPractitioner(), statement.feeBasis().qualifyingParticipant(),
                                      statement.feeBasis().version(), statement.feeBasis().placeOfService());
    }

    private java.util.Optional<BillingStatementIssued> statementOf(BillingMonthId id) {
        return ledger.billingStream(id).stream().filter(BillingStatementIssued.class::isInstance)
                     .map(BillingStatementIssued.class::cast).findFirst();
    }

    /**
     * Recomputes a patient-month's statement, and each of its adjustments, from the patient's streams as they stood
     * when each was issued, with the practitioner and QP status the statement was priced with; checks the stored hash
     * of every event they counted and of the billing events themselves; and says whether later events change what is
     * billed now.
     */
    public Verification verify(BillingMonthId id) {
        List<StoredEvent> billingEvents = asFound.billingEvents(id);
        List<Object> stream = billingEvents.stream().map(asFound::payload).toList();
        BillingStatementIssued statement = stream.stream().filter(BillingStatementIssued.class::isInstance)
                                                 .map(BillingStatementIssued.class::cast).findFirst()
                                                 .orElseThrow(() -> Refusal.notFound(
                                                         "NO_STATEMENT", "this patient-month has no statement"));
        List<BillingAdjustmentIssued> adjustments = stream.stream().filter(BillingAdjustmentIssued.class::isInstance)
                                                          .map(BillingAdjustmentIssued.class::cast).toList();
        MonthEvaluator.Pin pin = pinOf(statement);
        List<Difference> differences = new ArrayList<>();
        for (StoredEvent event : billingEvents) {
            if (!event.hashMatches()) {
                differences.add(new Difference("billing event " + event.eventIdentifier(), event.hash(),
                                               "stored event does not match its hash"));
            }
        }
        // the statement and every adjustment still there: the stream ends where its head (and its sealed head) say
        LedgerVerifier.Break streamBreak = verifier.verifyAggregate(id.toString()).firstBreak();
        if (streamBreak != null) {
            differences.add(new Difference("billing stream", "complete and intact", streamBreak.problem()
                    + " at global index " + streamBreak.globalIndex()));
        }
        BillingLedger.Folded then = asFound.fold(id.enrollmentId(), statement.enrollmentSequence(),
                                                statement.carePlanVersion(), null);
        MonthEvaluation recomputed = evaluator.evaluate(then.record(), id.month(), pin);
        compare(differences, "ruleVersion", statement.feeBasis().version(), recomputed.feeBasis().version());
        compare(differences, "billingPractitioner", statement.billingPractitioner(),
                recomputed.billingPractitioner());
        compare(differences, "family", statement.family(), recomputed.family());
        compare(differences, "lines", render(statement.lines()), render(recomputed.lines()));
        compare(differences, "totalAmount", statement.totalKnown().toPlainString(),
                recomputed.total().knownPart().toPlainString());
        compare(differences, "dateOfService", statement.dateOfService(), recomputed.dateOfService());
        compare(differences, "minutes", statement.minutes(), recomputed.minutes());
        compare(differences, "eventsCounted",
                statement.eventsCounted().stream().map(CountedEvent::eventId).toList(),
                recomputed.eventsCounted().stream().map(r -> r.eventId()).toList());
        checkHashes(differences, "", statement.eventsCounted());
        for (BillingAdjustmentIssued adjustment : adjustments) {
            String prefix = adjustment.adjustmentId() + " ";
            MonthEvaluation again = evaluator.evaluate(
                    asFound.fold(id.enrollmentId(), adjustment.enrollmentSequence(), adjustment.carePlanVersion(),
                                null).record(), id.month(), pin);
            compare(differences, prefix + "lines", units(adjustment.lines()), units(again.lines()));
            compare(differences, prefix + "eventsCounted",
                    adjustment.eventsCounted().stream().map(CountedEvent::eventId).toList(),
                    again.eventsCounted().stream().map(r -> r.eventId()).toList());
            checkHashes(differences, prefix, adjustment.eventsCounted());
        }
        List<StatementLine> standing = adjustments.isEmpty() ? statement.lines()
                : adjustments.get(adjustments.size() - 1).lines();
        MonthEvaluation current = evaluator.evaluate(asFound.fold(id.enrollmentId()).record(), id.month(), pin);
        List<Difference> pending = new ArrayList<>();
        compare(pending, "lines", units(standing), units(current.lines()));
        int checked = statement.eventsCounted().size()
                      + adjustments.stream().mapToInt(a -> a.eventsCounted().size()).sum();
        return new Verification(id.month(), id.enrollmentId().patientId().value(), statement.statementId(),
                                differences.isEmpty(), differences, checked, adjustments.size(), pending.isEmpty(),
                                pending);
    }

    private void checkHashes(List<Difference> differences, String prefix, List<CountedEvent> counted) {
        Map<String, StoredEvent> stored = asFound.stored(counted);
        for (CountedEvent event : counted) {
            StoredEvent found = stored.get(StoredEvent.streamKey(event.aggregateId(), event.sequence()));
            if (found == null) {
                differences.add(new Difference(prefix + "event " + event.eventId(), event.hash(), "missing"));
            } else if (!event.hash().equals(found.hash()) || !found.hashMatches()) {
                differences.add(new Difference(prefix + "event " + event.eventId(), event.hash(),
                                               found.hashMatches() ? found.hash()
                                                       : "stored event does not match its hash"));
            }
        }
    }

    /** Every statement of a practice's month, re-verified. */
    public List<Verification> verifyAll(String practiceId, YearMonth month) {
        catchUp.await(BillingProjection.PROCESSING_GROUP, java.time.Duration.ofSeconds(10));
        List<Verification> verifications = new ArrayList<>();
        for (String patientId : projection.patientsOf(practiceId, month)) {
            BillingMonthId id = new BillingMonthId(EnrollmentId.of(practiceId, patientId), month);
            if (!asFound.billingStream(id).isEmpty()) {
                verifications.add(verify(id));
            }
        }
        return verifications;
    }

    private static void compare(List<Difference> differences, String field, Object statement, Object recomputed) {
        if (!Objects.equals(statement, recomputed)) {
            differences.add(new Difference(field, String.valueOf(statement), String.valueOf(recomputed)));
        }
    }

    /** Lines as codes, units and dates of service: what a claim bills, whatever the fee data says now. */
    static List<String> units(List<StatementLine> lines) {
        return lines.stream().map(l -> l.code() + " x" + l.units() + " on " + l.servicedDate()).toList();
    }

    /** Lines as {@code code x units @ amount on date}, so an amount of 60.490 and 60.49 compare equal. */
    static List<String> render(List<StatementLine> lines) {
        return lines.stream().map(l -> l.code() + " x" + l.units() + " @ " + l.unit() + " on " + l.servicedDate())
                    .toList();
    }

    static String amount(BigDecimal value) {
        return value == null ? "unknown" : value.setScale(2).toPlainString();
    }
}
