package org.ccmledger.billing;

import java.time.LocalDate;
import java.util.List;

import org.ccmledger.billing.api.Alternative;
import org.ccmledger.billing.api.BillingMinutes;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.billing.api.Total;

/** What the billing endpoints answer: amounts as decimal strings ("60.49"), or "unknown", never a guessed number. */
final class BillingViews {

    private BillingViews() {
    }

    /** OPEN: not closed; CLOSED: a statement stands; ADJUSTED: an adjustment replaced it (P4). */
    enum Status { OPEN, CLOSED, ADJUSTED }

    record LineView(String code, int units, String unitAmount, String amount, LocalDate servicedDate) {
        static List<LineView> of(List<StatementLine> lines) {
            return lines.stream().map(l -> new LineView(l.code(), l.units(), l.unit().toString(),
                                                        l.amount().toString(), l.servicedDate())).toList();
        }
    }

    record AlternativeView(String family, String billingPractitioner, List<LineView> lines, String totalAmount,
                           String reason, List<Reason> reasons) {
        static AlternativeView of(Alternative a) {
            return new AlternativeView(a.family().name(), a.billingPractitioner(), LineView.of(a.lines()),
                                       amount(a.total()), a.reasons().get(0).toString(), a.reasons());
        }
    }

    /** One patient-month. */
    record PatientMonthView(String month, String patientId, String billingPractitioner, String family,
                            List<LineView> lines, String totalAmount, String totalKnownAmount,
                            List<String> unknownAmountCodes, String coinsurance, BillingMinutes minutes,
                            List<Reason> blockers, List<Reason> flags, List<AlternativeView> alternatives,
                            List<String> eventsCounted, LocalDate dateOfService, String ruleVersion,
                            String conversionFactor, boolean qualifyingParticipant, Status status,
                            String statementId, List<String> adjustmentIds, List<LineView> billedLines) {

        static PatientMonthView of(String patientId, MonthEvaluation e, PatientBillingRecord.Billed billed) {
            Total total = e.total();
            Status status = billed == null ? Status.OPEN
                    : billed.adjustmentIds().isEmpty() ? Status.CLOSED : Status.ADJUSTED;
            return new PatientMonthView(e.month().toString(), patientId, e.billingPractitioner(),
                                        e.family() == null ? null : e.family().name(), LineView.of(e.lines()),
                                        amount(total), total.knownPart().toPlainString(), total.unknownCodes(),
                                        e.coinsurance().toString(), e.minutes(), e.blockers(), e.flags(),
                                        e.alternatives().stream().map(AlternativeView::of).toList(),
                                        e.eventsCounted().stream().map(r -> r.eventId()).toList(),
                                        e.dateOfService(), e.feeBasis().version(),
                                        e.feeBasis().conversionFactor().toPlainString(),
                                        e.feeBasis().qualifyingParticipant(), status,
                                        billed == null ? null : billed.statementId(),
                                        billed == null ? List.of() : billed.adjustmentIds(),
                                        billed == null ? List.of() : LineView.of(billed.lines()));
        }
    }

    /** One row of a practice's month. */
    record PatientRow(String patientId, String billingPractitioner, String family, List<LineView> lines,
                      String totalAmount, String coinsurance, Status status, List<Reason> blockers) {
        static PatientRow of(PatientMonthView v) {
            return new PatientRow(v.patientId(), v.billingPractitioner(), v.family(), v.lines(), v.totalAmount(),
                                  v.coinsurance(), v.status(), v.blockers());
        }
    }

    record CodeTotal(String code, int units, String amount) {
    }

    record PractitionerTotal(String billingPractitioner, int patients, String amount) {
    }

    /** A practice's month: a row per patient, totals by code and by practitioner. */
    record PracticeMonthView(String month, String practiceId, List<PatientRow> patients,
                             List<CodeTotal> totalsByCode, List<PractitionerTotal> totalsByPractitioner,
                             String totalAmount) {
    }

    static String amount(Total total) {
        return total.amount().toString();
    }
}
