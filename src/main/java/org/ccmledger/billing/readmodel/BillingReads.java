package org.ccmledger.billing.readmodel;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.axonframework.queryhandling.QueryHandler;
import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.BillingViews;
import org.ccmledger.billing.api.BillingViews.CodeTotal;
import org.ccmledger.billing.api.BillingViews.PatientMonthView;
import org.ccmledger.billing.api.BillingViews.PatientRow;
import org.ccmledger.billing.api.BillingViews.PracticeMonthView;
import org.ccmledger.billing.api.BillingViews.PractitionerTotal;
import org.ccmledger.billing.api.FindBillingMonth;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.billing.api.Total;
import org.ccmledger.billing.rules.BillingRules;
import org.ccmledger.billing.rules.MonthEvaluator;
import org.ccmledger.billing.rules.PatientBillingRecord;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

/** Billing views evaluated from the read model. Blocking: the controller calls it on the bounded elastic scheduler. */
@Component
public class BillingReads {

    private final BillingProjection projection;
    private final MonthEvaluator evaluator;
    private final BillingLedger ledger;

    BillingReads(BillingProjection projection, BillingRules rules, BillingLedger ledger) {
        this.projection = projection;
        this.evaluator = rules.evaluator();
        this.ledger = ledger;
    }

    public PatientMonthView patientMonth(EnrollmentId id, YearMonth month) {
        PatientBillingRecord record = projection.record(id).orElseThrow(
                () -> Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice"));
        return view(record, month);
    }

    public List<String> patientsOf(String practiceId, YearMonth month) {
        return projection.patientsOf(practiceId, month);
    }

    /** The views of some patients of the practice, in patient id order. */
    public List<PatientMonthView> patientMonths(String practiceId, List<String> patientIds, YearMonth month) {
        List<PatientMonthView> views = new ArrayList<>();
        projection.records(practiceId, patientIds).values().forEach(r -> views.add(view(r, month)));
        return views;
    }

    public PracticeMonthView practiceMonth(String practiceId, YearMonth month) {
        List<PatientMonthView> views = patientMonths(practiceId, patientsOf(practiceId, month), month);
        Totals totals = new Totals();
        List<PatientRow> rows = new ArrayList<>();
        for (PatientMonthView view : views) {
            rows.add(PatientRow.of(view));
            totals.add(view);
        }
        return new PracticeMonthView(month.toString(), practiceId, rows, totals.byCode(), totals.byPractitioner(),
                                     BillingViews.amount(totals.total()));
    }

    /**
     * A practice's month to be streamed: its patients, evaluated {@value #TOTALS_BATCH} at a time as the client reads,
     * and its totals once every batch has been evaluated. The rows and totals are those of {@link #practiceMonth}.
     * Batches may be evaluated concurrently ({@link #evaluate}) but are added to the totals in order ({@link #add}).
     */
    public final class MonthStream {
        private final String practiceId;
        private final YearMonth month;
        private final List<String> patientIds;
        private final Totals totals = new Totals();

        private MonthStream(String practiceId, YearMonth month, List<String> patientIds) {
            this.practiceId = practiceId;
            this.month = month;
            this.patientIds = patientIds;
        }

        /** The patients in batches, in patient id order. */
        public List<List<String>> batches() {
            List<List<String>> batches = new ArrayList<>();
            for (int from = 0; from < patientIds.size(); from += TOTALS_BATCH) {
                batches.add(patientIds.subList(from, Math.min(patientIds.size(), from + TOTALS_BATCH)));
            }
            return batches;
        }

        /**
         * A batch's patients read and evaluated, not yet added to the totals: safe to call for several batches at
         * once, so that the next batches are evaluated while one is written.
         */
        public List<PatientMonthView> evaluate(List<String> batch) {
            return patientMonths(practiceId, batch, month);
        }

        /** A batch evaluated ({@link #evaluate}) added to the totals, batch after batch in order: its rows. */
        public synchronized List<PatientRow> add(List<PatientMonthView> views) {
            List<PatientRow> rows = new ArrayList<>(views.size());
            for (PatientMonthView view : views) {
                rows.add(PatientRow.of(view));
                totals.add(view);
            }
            return rows;
        }

        /** The month without its rows: what {@link #practiceMonth} says around them, totals of every row so far. */
        public synchronized PracticeMonthView withoutRows() {
            return new PracticeMonthView(month.toString(), practiceId, List.of(), totals.byCode(),
                                         totals.byPractitioner(), BillingViews.amount(totals.total()));
        }
    }

    /** The practice's month to be streamed ({@link MonthStream}); reads only its list of patients now. */
    public MonthStream monthStream(String practiceId, YearMonth month) {
        return new MonthStream(practiceId, month, patientsOf(practiceId, month));
    }

    /** The rows of some patients of the practice's month, in patient id order. */
    public List<PatientRow> rows(String practiceId, List<String> patientIds, YearMonth month) {
        return patientMonths(practiceId, patientIds, month).stream().map(PatientRow::of).toList();
    }

    /**
     * The month's totals as {@link #practiceMonth} sums them, evaluating {@value #TOTALS_BATCH} patients at a time so
     * that a large practice's evaluations are never all held at once: only their lines are.
     */
    public BillingViews.PracticeMonthTotals totals(String practiceId, YearMonth month) {
        List<String> ids = patientsOf(practiceId, month);
        Totals totals = new Totals();
        for (int from = 0; from < ids.size(); from += TOTALS_BATCH) {
            patientMonths(practiceId, ids.subList(from, Math.min(ids.size(), from + TOTALS_BATCH)), month)
                    .forEach(totals::add);
        }
        return new BillingViews.PracticeMonthTotals(month.toString(), practiceId, ids.size(), totals.byCode(),
                                                    totals.byPractitioner(), BillingViews.amount(totals.total()));
    }

    private static final int TOTALS_BATCH = 100;

    /** Totals by code and by billing practitioner, added to a patient-month at a time. */
    private static final class Totals {
        private final Map<String, List<StatementLine>> byCode = new TreeMap<>();
        private final Map<String, List<StatementLine>> byPractitioner = new TreeMap<>();
        private final Map<String, Integer> patients = new TreeMap<>();
        private final List<StatementLine> all = new ArrayList<>();

        void add(PatientMonthView view) {
            List<StatementLine> lines = view.lines().stream()
                                            .map(l -> new StatementLine(l.code(), l.units(),
                                                                        "unknown".equals(l.unitAmount()) ? null
                                                                                : new java.math.BigDecimal(
                                                                                        l.unitAmount()),
                                                                        l.servicedDate(), l.basis()))
                                            .toList();
            lines.forEach(l -> byCode.computeIfAbsent(l.code(), c -> new ArrayList<>()).add(l));
            if (!lines.isEmpty()) {
                byPractitioner.computeIfAbsent(view.billingPractitioner(), p -> new ArrayList<>()).addAll(lines);
                patients.merge(view.billingPractitioner(), 1, Integer::sum);
            }
            all.addAll(lines);
        }

        List<CodeTotal> byCode() {
            return byCode.entrySet().stream()
                         .map(e -> new CodeTotal(e.getKey(), e.getValue().stream().mapToInt(StatementLine::units).sum(),
                                                 BillingViews.amount(StatementLine.total(e.getValue()))))
                         .toList();
        }

        List<PractitionerTotal> byPractitioner() {
            return byPractitioner.entrySet().stream()
                                 .map(e -> new PractitionerTotal(e.getKey(), patients.get(e.getKey()),
                                                                 BillingViews.amount(
                                                                         StatementLine.total(e.getValue()))))
                                 .toList();
        }

        Total total() {
            return StatementLine.total(all);
        }
    }

    private PatientMonthView view(PatientBillingRecord record, YearMonth month) {
        MonthEvaluation evaluation = evaluator.evaluate(record, month);
        PatientBillingRecord.Billed billed = record.billed().get(month.toString());
        return billed == null ? view(record.patientId(), evaluation, null, List.of(), List.of())
                : view(record.patientId(), evaluation, billed.statementId(), billed.adjustmentIds(),
                                      billed.lines());
    }

    @QueryHandler
    List<PatientRow> handle(org.ccmledger.billing.api.FindPracticeMonthRows query) {
        return rows(query.practiceId().value(), query.patientIds(), query.month());
    }

    @QueryHandler
    List<PatientMonthView> handle(org.ccmledger.billing.api.FindBillingMonths query) {
        return patientMonths(query.practiceId().value(), query.patientIds(), query.month());
    }

    @QueryHandler
    BillingViews.PracticeMonthTotals handle(org.ccmledger.billing.api.FindPracticeMonthTotals query) {
        return totals(query.practiceId().value(), query.month());
    }

    @QueryHandler
    List<String> handle(org.ccmledger.billing.api.FindPracticeMonthPatients query) {
        return patientsOf(query.practiceId().value(), query.month());
    }

    @QueryHandler
    PatientMonthView handle(FindBillingMonth query) {
        if (query.asKnownAt() == null) {
            return patientMonth(query.enrollmentId(), query.month());
        }
        PatientBillingRecord record = ledger.fold(query.enrollmentId(), Long.MAX_VALUE, Integer.MAX_VALUE,
                                                  query.asKnownAt()).record();
        if (!record.enrolled()) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice at that time");
        }
        String statementId = null;
        List<String> adjustments = new ArrayList<>();
        List<StatementLine> standing = List.of();
        for (Object event : ledger.billingStream(new BillingMonthId(query.enrollmentId(), query.month()),
                                                 query.asKnownAt())) {
            if (event instanceof BillingStatementIssued statement) {
                statementId = statement.statementId();
                standing = statement.lines();
            } else if (event instanceof BillingAdjustmentIssued adjustment) {
                adjustments.add(adjustment.adjustmentId());
                standing = adjustment.lines();
            }
        }
        return view(record.patientId(), evaluator.evaluate(record, query.month()), statementId, adjustments,
                    standing);
    }

    private PatientMonthView view(String patientId, MonthEvaluation evaluation, String statementId,
                                  List<String> adjustmentIds, List<StatementLine> lines) {
        return PatientMonthView.of(patientId, evaluation, statementId, adjustmentIds, lines,
                                   evaluator.nextUnit(evaluation).orElse(null));
    }
}
