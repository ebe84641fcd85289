package org.ccmledger.billing.statement;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.CountedEvent;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.billing.readmodel.BillingLedger;
import org.ccmledger.billing.readmodel.BillingProjection;
import org.ccmledger.billing.rules.BillingRules;
import org.ccmledger.billing.rules.MonthEvaluator;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.axon.ProcessorCatchUp;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Service;

/**
 * Re-verifies closed months against the ledger as found (unverified on read, so that what differs is reported
 * instead of refused): each statement and adjustment recomputed from the patient's streams as they stood when it was
 * issued, the hashes of what it counted and of the billing stream checked, and whether later events change what is
 * billed now. Blocking, like {@link BillingService}.
 */
@Service
public class StatementVerifier {

    /** One field on which a statement and its recomputation differ. */
    public record Difference(String field, String statement, String recomputed) {
    }

    /** A re-verification of a patient-month's statement against the ledger. */
    public record Verification(YearMonth month, String patientId, String statementId, boolean match,
                        List<Difference> differences, int eventsChecked, int adjustments, boolean upToDate,
                        List<Difference> pendingChanges) {
    }

    /** The ledger as found, unverified on read: verification reports what differs instead of refusing it. */
    private final BillingLedger asFound;
    private final LedgerVerifier verifier;
    private final MonthEvaluator evaluator;
    private final ProcessorCatchUp catchUp;
    private final BillingProjection projection;

    StatementVerifier(BillingLedger ledger, BillingRules rules, LedgerVerifier verifier, ProcessorCatchUp catchUp,
                      BillingProjection projection) {
        this.asFound = ledger.asFound();
        this.verifier = verifier;
        this.evaluator = rules.evaluator();
        this.catchUp = catchUp;
        this.projection = projection;
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
        MonthEvaluator.Pin pin = BillingService.pinOf(statement);
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
        Map<String, StoredEvent> read = new HashMap<>();
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
        Map<String, StoredEvent> stored = new HashMap<>(read);
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
        for (int from = 0; from < patients.size(); from += BillingService.CLOSE_BATCH) {
            List<BillingMonthId> ids = patients.subList(from, Math.min(patients.size(),
                                                                       from + BillingService.CLOSE_BATCH))
                    .stream().map(p -> new BillingMonthId(EnrollmentId.of(practiceId, p), month)).toList();
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

}
