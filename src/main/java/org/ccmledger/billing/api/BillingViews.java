package org.ccmledger.billing.api;

import java.time.LocalDate;
import java.util.List;


/** What the billing endpoints answer: amounts as decimal strings ("60.49"), or "unknown", never a guessed number. */
public final class BillingViews {

    private BillingViews() {
    }

    /** OPEN: not closed; CLOSED: a statement stands; ADJUSTED: an adjustment replaced it (P4). */
    public enum Status { OPEN, CLOSED, ADJUSTED }

    /** A line with how its unit amount was reached ({@code basis}: RVU × conversion factor and source label). */
    public record LineView(String code, int units, String unitAmount, String amount, LocalDate servicedDate,
                           String basis) {
        public static List<LineView> of(List<StatementLine> lines) {
            return lines.stream().map(l -> new LineView(l.code(), l.units(), l.unit().toString(),
                                                        l.amount().toString(), l.servicedDate(), l.basis()))
                        .toList();
        }
    }

    /** G0506 for the initiating visit's claim (R9): its base code, date and practitioner, never on the CCM claim. */
    public record VisitAddOnView(String code, String baseCode, LocalDate visitDate, String practitioner,
                                 String amount, String basis) {
        public static List<VisitAddOnView> of(List<VisitAddOn> addOns) {
            return addOns.stream().map(a -> new VisitAddOnView(a.code(), a.baseCode(), a.visitDate(),
                                                               a.practitioner(), a.amount().toString(), a.basis()))
                         .toList();
        }
    }

    public record AlternativeView(String family, String billingPractitioner, List<LineView> lines, String totalAmount,
                           String reason, List<Reason> reasons) {
        public static AlternativeView of(Alternative a) {
            return new AlternativeView(a.family().name(), a.billingPractitioner(), LineView.of(a.lines()),
                                       amount(a.total()), a.reasons().get(0).toString(), a.reasons());
        }
    }

    /** One patient-month. */
    public record PatientMonthView(String month, String patientId, String billingPractitioner, String family,
                            List<LineView> lines, String totalAmount, String totalKnownAmount,
                            List<String> unknownAmountCodes, String coinsurance, BillingMinutes minutes,
                            List<Reason> blockers, List<Reason> flags, List<AlternativeView> alternatives,
                            List<String> eventsCounted, LocalDate dateOfService, String ruleVersion,
                            String conversionFactor, boolean qualifyingParticipant, Status status,
                            String statementId, List<String> adjustmentIds, List<LineView> billedLines,
                            String placeOfService, String feeSetting, List<VisitAddOnView> visitAddOns,
                            NextUnit nextUnit) {

        /**
         * @param statementId   the statement standing, {@code null} when the month is open
         * @param adjustmentIds its adjustments in order
         * @param billedLines   the lines standing (the statement's, or the last adjustment's)
         * The view also names the place of service billed with and the rate it is paid at (R13: {@code FACILITY} for
         * a facility place), and the initiating visit's add-ons (G0506, R9).
         * @param nextUnit      the next code or unit the month can earn by time, {@code null} when none can
         */
        public static PatientMonthView of(String patientId, MonthEvaluation e, String statementId,
                                          List<String> adjustmentIds, List<StatementLine> billedLines,
                                          NextUnit nextUnit) {
            Total total = e.total();
            Status status = statementId == null ? Status.OPEN
                    : adjustmentIds.isEmpty() ? Status.CLOSED : Status.ADJUSTED;
            return new PatientMonthView(e.month().toString(), patientId, e.billingPractitioner(),
                                        e.family() == null ? null : e.family().name(), LineView.of(e.lines()),
                                        amount(total), total.knownPart().toPlainString(), total.unknownCodes(),
                                        e.coinsurance().toString(), e.minutes(), e.blockers(), e.flags(),
                                        e.alternatives().stream().map(AlternativeView::of).toList(),
                                        e.eventsCounted().stream().map(r -> r.eventId()).toList(),
                                        e.dateOfService(), e.feeBasis().version(),
                                        e.feeBasis().conversionFactor().toPlainString(),
                                        e.feeBasis().qualifyingParticipant(), status,
                                        statementId, List.copyOf(adjustmentIds), LineView.of(billedLines),
                                        e.feeBasis().placeOfService(), e.feeBasis().settingOrDefault().name(),
                                        VisitAddOnView.of(e.visitAddOns()), nextUnit);
        }
    }

    /** One row of a practice's month. */
    public record PatientRow(String patientId, String billingPractitioner, String family, List<LineView> lines,
                      String totalAmount, String coinsurance, Status status, List<Reason> blockers,
                      BillingMinutes minutes, NextUnit nextUnit) {
        public static PatientRow of(PatientMonthView v) {
            return new PatientRow(v.patientId(), v.billingPractitioner(), v.family(), v.lines(), v.totalAmount(),
                                  v.coinsurance(), v.status(), v.blockers(), v.minutes(), v.nextUnit());
        }
    }

    public record CodeTotal(String code, int units, String amount) {
    }

    public record PractitionerTotal(String billingPractitioner, int patients, String amount) {
    }

    /** A practice's month's totals without its rows: how many patients, totals by code and by practitioner. */
    public record PracticeMonthTotals(String month, String practiceId, int patients, List<CodeTotal> totalsByCode,
                                      List<PractitionerTotal> totalsByPractitioner, String totalAmount) {
    }

    /** A practice's month: a row per patient, totals by code and by practitioner. */
    /**
     * A practice's month; {@code risks} (the OIG risk scan's findings) only when asked for, being a scan of every
     * patient's record.
     */
    public record PracticeMonthView(String month, String practiceId, List<PatientRow> patients,
                             List<CodeTotal> totalsByCode, List<PractitionerTotal> totalsByPractitioner,
                             String totalAmount,
                             @com.fasterxml.jackson.annotation.JsonInclude(
                                     com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                             List<FindMonthRisks.MonthRisk> risks) {

        public PracticeMonthView(String month, String practiceId, List<PatientRow> patients,
                                 List<CodeTotal> totalsByCode, List<PractitionerTotal> totalsByPractitioner,
                                 String totalAmount) {
            this(month, practiceId, patients, totalsByCode, totalsByPractitioner, totalAmount, null);
        }

        public PracticeMonthView withRisks(List<FindMonthRisks.MonthRisk> found) {
            return new PracticeMonthView(month, practiceId, patients, totalsByCode, totalsByPractitioner, totalAmount,
                                         List.copyOf(found));
        }
    }

    public static String amount(Total total) {
        return total.amount().toString();
    }
}
