package org.ccmledger.billing.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import org.axonframework.serialization.Revision;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEvent;

/**
 * A closed patient-month's bill (R12): what is claimed, under which practitioner (R6), from which rule/fee data
 * (R15), and on what evidence: every event counted with its ledger hash, and the evaluation trace (minutes,
 * blockers, flags, alternatives). Never changed afterwards; a later change is a {@link BillingAdjustmentIssued} (P4).
 *
 * @param billingMonthId       the patient-month
 * @param statementId          deterministic id of the statement (also the original claim's id)
 * @param month                the month
 * @param billingPractitioner  NPI billed under
 * @param family               the family billed; {@code null} when the month bills only a visit add-on
 * @param lines                the lines claimed
 * @param totalKnown           the sum of the known line amounts
 * @param totalComplete        false when some line's amount is unknown
 * @param coinsurance          the patient's share (R14), {@code null} when unknown; zero for a QMB
 * @param dateOfService        R12: month end, or the date of death when earlier
 * @param feeBasis             version of the rule/fee data, conversion factor, QP status (R15)
 * @param enrollmentSequence   the last event of the enrollment stream the statement was computed from
 * @param carePlanVersion      the care-plan version in force at the date of service
 * @param diagnoses            ICD-10-CM codes for the claim
 * @param eventsCounted        every event the decision rests on, with its ledger hash
 * @param minutes              countable minutes (R3, P2)
 * @param flags                what did not block but must be seen
 * @param alternatives         the families not billed, with why (P1, R6)
 * @param visitAddOns          G0506 with its visit's base code and date (R9), for the visit's claim; {@code null} on
 *                             statements issued before add-ons were kept apart (their G0506 is a line)
 */
@Revision("1")
public record BillingStatementIssued(BillingMonthId billingMonthId, String statementId, YearMonth month,
                                     String billingPractitioner, CcmFamily family, List<StatementLine> lines,
                                     BigDecimal totalKnown, boolean totalComplete, BigDecimal coinsurance,
                                     LocalDate dateOfService, FeeBasis feeBasis, long enrollmentSequence,
                                     int carePlanVersion, List<String> diagnoses, List<CountedEvent> eventsCounted,
                                     BillingMinutes minutes, List<Reason> flags, List<Alternative> alternatives,
                                     List<VisitAddOn> visitAddOns)
        implements PatientEvent {

    /** The visit add-ons, none for a statement issued before they were kept apart. */
    public List<VisitAddOn> addOns() {
        return visitAddOns == null ? List.of() : visitAddOns;
    }

    @Override
    public EnrollmentId enrollmentId() {
        return billingMonthId.enrollmentId();
    }
}
