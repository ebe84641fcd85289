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
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
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
        if (billingEvents.isEmpty()) {
            throw Refusal.notFound("NO_STATEMENT", "this patient-month has no statement");
        }
        return verify(id, billingEvents, verifier.verifyAggregate(id.toString()).firstBreak(),
                      asFound.streamsOf(id.enrollmentId()));
    }

    /**
     * {@link #verify(BillingMonthId)} from what was read for it: the month's billing events, the first break of its
     * billing stream's chain ({@code null}: intact) and the patient's streams, all as found.
     */
    private Verification verify(BillingMonthId id, List<StoredEvent> billingEvents, LedgerVerifier.Break streamBreak,
                                BillingLedger.PatientStreams patient) {
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
        if (streamBreak != null) {
            differences.add(new Difference("billing stream", "complete and intact", streamBreak.problem()
                    + " at global index " + streamBreak.globalIndex()));
        }
        Map<String, StoredEvent> read = new java.util.HashMap<>();
        patient.enrollment().forEach(e -> read.put(e.streamKey(), e));
        patient.carePlan().forEach(e -> read.put(e.streamKey(), e));
        BillingLedger.Folded then = asFound.fold(patient, statement.enrollmentSequence(),
                                                statement.carePlanVersion());
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
        checkHashes(differences, "", statement.eventsCounted(), read);
        for (BillingAdjustmentIssued adjustment : adjustments) {
            String prefix = adjustment.adjustmentId() + " ";
            MonthEvaluation again = evaluator.evaluate(
                    asFound.fold(patient, adjustment.enrollmentSequence(), adjustment.carePlanVersion()).record(),
                    id.month(), pin);
            compare(differences, prefix + "lines", units(adjustment.lines()), units(again.lines()));
            compare(differences, prefix + "eventsCounted",
                    adjustment.eventsCounted().stream().map(CountedEvent::eventId).toList(),
                    again.eventsCounted().stream().map(r -> r.eventId()).toList());
            checkHashes(differences, prefix, adjustment.eventsCounted(), read);
        }
        List<StatementLine> standing = adjustments.isEmpty() ? statement.lines()
                : adjustments.get(adjustments.size() - 1).lines();
        MonthEvaluation current = evaluator.evaluate(
                asFound.fold(patient, Long.MAX_VALUE, Integer.MAX_VALUE).record(), id.month(), pin);
        List<Difference> pending = new ArrayList<>();
        compare(pending, "lines", units(standing), units(current.lines()));
        int checked = statement.eventsCounted().size()
                      + adjustments.stream().mapToInt(a -> a.eventsCounted().size()).sum();
        return new Verification(id.month(), id.enrollmentId().patientId().value(), statement.statementId(),
                                differences.isEmpty(), differences, checked, adjustments.size(), pending.isEmpty(),
                                pending);
    }

    /** Checks the counted events' hashes against the events as found: those read already, the others by key. */
    private void checkHashes(List<Difference> differences, String prefix, List<CountedEvent> counted,
                             Map<String, StoredEvent> read) {
        List<CountedEvent> notRead = counted.stream()
                                            .filter(c -> !read.containsKey(StoredEvent.streamKey(c.aggregateId(),
                                                                                                  c.sequence())))
                                            .toList();
        Map<String, StoredEvent> stored = new java.util.HashMap<>(read);
        if (!notRead.isEmpty()) {
            stored.putAll(asFound.stored(notRead));
        }
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
        List<String> patients = projection.patientsOf(practiceId, month);
        List<Verification> verifications = new ArrayList<>();
        for (int from = 0; from < patients.size(); from += CLOSE_BATCH) {
            List<BillingMonthId> ids = patients.subList(from, Math.min(patients.size(), from + CLOSE_BATCH)).stream()
                    .map(p -> new BillingMonthId(EnrollmentId.of(practiceId, p), month)).toList();
            Map<BillingMonthId, List<StoredEvent>> billing = asFound.billingEvents(ids);
            List<BillingMonthId> closed = ids.stream().filter(id -> !billing.get(id).isEmpty()).toList();
            Map<String, LedgerVerifier.Break> breaks = verifier.firstBreaks(
                    closed.stream().map(BillingMonthId::toString).toList());
            Map<EnrollmentId, BillingLedger.PatientStreams> streams = asFound.streamsOf(
                    closed.stream().map(BillingMonthId::enrollmentId).toList());
            for (BillingMonthId id : closed) {
                verifications.add(verify(id, billing.get(id), breaks.get(id.toString()),
                                         streams.get(id.enrollmentId())));
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
