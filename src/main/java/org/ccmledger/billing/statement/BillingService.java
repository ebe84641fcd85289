package org.ccmledger.billing.statement;

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
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.CountedEvent;
import org.ccmledger.billing.api.IssueBillingAdjustment;
import org.ccmledger.billing.api.IssueBillingStatement;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.Total;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.billing.readmodel.BillingLedger;
import org.ccmledger.billing.readmodel.BillingProjection;
import org.ccmledger.billing.rules.BillingRules;
import org.ccmledger.billing.rules.MonthEvaluator;
import org.ccmledger.platform.axon.ProcessorCatchUp;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.threads.DaemonThreads;
import org.springframework.stereotype.Service;

/**
 * Billing's operations that write from the ledger: closing a month (statements) and adjusting closed months; their
 * verification is {@link StatementVerifier}. Blocking: called from tracking processors and, through Reactor's bounded elastic scheduler,
 * from the controller.
 */
@Service
public class BillingService {

    /** The outcome for one patient when a month is closed. */
    public record CloseOutcome(String patientId, String status, String statementId, List<Reason> blockers) {
    }

    private final BillingLedger ledger;
    private final MonthEvaluator evaluator;
    private final CommandGateway commands;
    private final ProcessorCatchUp catchUp;
    private final BillingProjection projection;
    /** Where adjustment commands are sent from: outside any unit of work (see {@link #adjust}). */
    private final java.util.concurrent.ExecutorService outside = java.util.concurrent.Executors.newFixedThreadPool(
            2, DaemonThreads.named("billing-adjustments-send"));

    BillingService(BillingLedger ledger, BillingRules rules, CommandGateway commands, ProcessorCatchUp catchUp,
                   BillingProjection projection) {
        this.ledger = ledger;
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
        List<String> patients = projection.patientsOf(practiceId, month);
        List<CloseOutcome> outcomes = new ArrayList<>();
        for (int from = 0; from < patients.size(); from += CLOSE_BATCH) {
            outcomes.addAll(close(practiceId, month, patients.subList(from, Math.min(patients.size(),
                                                                                     from + CLOSE_BATCH)), metaData));
        }
        return outcomes;
    }

    /** Patients closed together: their streams read with a few lookups, their statements stored in one commit. */
    static final int CLOSE_BATCH = 100;

    /**
     * Closes the month of some patients, in their order: a month that already has a statement keeps it (its outcome
     * names it, the month is not evaluated again: what changed since is an adjustment's business, P4); every other
     * patient's month is evaluated from the ledger and, when billable, gets its statement. The statements are sent as
     * commands to their billing aggregates, each judged alone, all in one unit of work: one commit for the batch.
     */
    private List<CloseOutcome> close(String practiceId, YearMonth month, List<String> patients, MetaData metaData) {
        List<BillingMonthId> ids = patients.stream()
                                           .map(p -> new BillingMonthId(EnrollmentId.of(practiceId, p), month))
                                           .toList();
        Map<BillingMonthId, List<StoredEvent>> billed = ledger.billingEvents(ids);
        Map<EnrollmentId, BillingLedger.Folded> folded = ledger.foldAll(
                ids.stream().filter(id -> billed.get(id).isEmpty()).map(BillingMonthId::enrollmentId).toList());
        CloseOutcome[] outcomes = new CloseOutcome[ids.size()];
        Map<Integer, IssueBillingStatement> toIssue = new java.util.LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            BillingMonthId id = ids.get(i);
            String patientId = id.enrollmentId().patientId().value();
            List<StoredEvent> stream = billed.get(id);
            if (!stream.isEmpty()) {
                outcomes[i] = new CloseOutcome(patientId, "ALREADY_CLOSED", statementIdOf(stream), List.of());
                continue;
            }
            BillingLedger.Folded patient = folded.get(id.enrollmentId());
            if (!patient.record().enrolled()) {
                continue;
            }
            MonthEvaluation evaluation = evaluator.evaluate(patient.record(), month);
            if (!evaluation.billable()) {
                outcomes[i] = new CloseOutcome(patientId, "NOT_BILLABLE", null, evaluation.blockers());
                continue;
            }
            toIssue.put(i, new IssueBillingStatement(id, statement(id, evaluation, patient)));
        }
        if (!toIssue.isEmpty()) {
            DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(new GenericMessage<>(month.toString()));
            try {
                Map<Integer, String> issued = new java.util.LinkedHashMap<>();
                toIssue.forEach((i, command) -> issued.put(i, commands.sendAndWait(
                        GenericCommandMessage.asCommandMessage(command).andMetaData(metaData))));
                unit.commit();
                issued.forEach((i, statementId) -> outcomes[i] = new CloseOutcome(
                        ids.get(i).enrollmentId().patientId().value(), "ISSUED", statementId, List.of()));
            } catch (RuntimeException e) {
                if (unit.isActive()) {
                    unit.rollback(e);
                }
                throw e;
            }
        }
        return java.util.Arrays.stream(outcomes).filter(Objects::nonNull).toList();
    }

    /** The statement's id: the first event of a closed month's billing stream. */
    private String statementIdOf(List<StoredEvent> billingStream) {
        return ((BillingStatementIssued) ledger.payload(billingStream.get(0))).statementId();
    }

    private BillingStatementIssued statement(BillingMonthId id, MonthEvaluation e, BillingLedger.Folded folded) {
        Total total = e.total();
        return new BillingStatementIssued(id, BillingIds.statementId(id), e.month(), e.billingPractitioner(),
                                          e.family(), e.lines(), total.knownPart(), total.complete(),
                                          e.coinsurance().value().orElse(null), e.dateOfService(), e.feeBasis(),
                                          folded.enrollmentSequence(), folded.carePlanVersion(), e.diagnoses(),
                                          ledger.withHashes(e.eventsCounted(), folded.events()), e.minutes(),
                                          e.flags(),
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
        List<CountedEvent> counted = ledger.withHashes(now.eventsCounted(), folded.events());
        IssueBillingAdjustment command = new IssueBillingAdjustment(id, now, counted, folded.enrollmentSequence(),
                                                                    folded.carePlanVersion(), triggeredBy);
        try {
            return CompletableFuture.supplyAsync(() -> commands.<String>sendAndWait(
                    GenericCommandMessage.asCommandMessage(command).andMetaData(metaData)), outside).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Re-checks a statement as it is seen after it was stored: a statement computed while a late entry was being stored
     * could have missed it. When neither of the patient's streams has moved past what the statement folded, the
     * re-evaluation would be the statement itself (the same record, the same pin), so nothing is evaluated or sent;
     * otherwise as {@link #adjust}. Returns whether the month was re-evaluated.
     */
    public boolean recheck(BillingStatementIssued statement, MetaData metaData) {
        if (ledger.unchangedSince(statement.billingMonthId().enrollmentId(), statement.enrollmentSequence(),
                                  statement.carePlanVersion())) {
            return false;
        }
        adjust(statement.billingMonthId(), List.of(), metaData);
        return true;
    }

    /** What a closed month keeps from its statement when it is evaluated again (adjustments, verification). */
    static MonthEvaluator.Pin pinOf(BillingStatementIssued statement) {
        // the month stays billed as it was: practitioner (R6), QP status and rule data (R15), place of service (R13)
        return new MonthEvaluator.Pin(statement.billingPractitioner(), statement.feeBasis().qualifyingParticipant(),
                                      statement.feeBasis().version(), statement.feeBasis().placeOfService());
    }

    private java.util.Optional<BillingStatementIssued> statementOf(BillingMonthId id) {
        return ledger.billingStream(id).stream().filter(BillingStatementIssued.class::isInstance)
                     .map(BillingStatementIssued.class::cast).findFirst();
    }
}
