package org.ccmledger.billing.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import org.axonframework.serialization.Revision;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEvent;

/**
 * A closed patient-month changed after its statement (edge cases 5 and 6, P4): the lines that now stand replace the
 * previous ones on a replacement claim; the statement itself is never changed.
 *
 * @param billingMonthId     the patient-month
 * @param adjustmentId       deterministic id (also the replacement claim's id)
 * @param month              the month
 * @param sequenceNumber     1 for the first adjustment of the month, then 2 …
 * @param replacesClaimId    the claim this one replaces: the statement's, or the previous adjustment's
 * @param kind               ADDITIONAL_UNITS (more is due), OVERPAYMENT (less is due, R19), or REPLACEMENT (both)
 * @param previousLines      the lines that stood before
 * @param lines              the lines that stand now (empty: nothing is billable any more)
 * @param addedLines         units added per code
 * @param removedLines       units removed per code
 * @param billingPractitioner the NPI the month stays billed under (R6: the statement's)
 * @param amountDue          the amount added (≥ 0); {@code null} when a line's amount is unknown
 * @param overpayment        the amount to return (≥ 0), R19; {@code null} when a line's amount is unknown
 * @param coinsuranceRefund  the coinsurance to refund the patient (R14); zero for a QMB, {@code null} when unknown
 * @param identifiedOn       the day the change was identified
 * @param refundDueBy        identifiedOn + 60 days whenever units are removed (R19), else {@code null}
 * @param carePlanVersion    the last care-plan version the recomputation read
 * @param feeBasis           the rule/fee data the new lines were priced with
 * @param enrollmentSequence the last enrollment event the recomputation read
 * @param triggeredBy        the event ids that changed the month
 * @param eventsCounted      every event the new lines rest on, with its hash
 * @param minutes            countable minutes now
 * @param reasons            why, each naming its rule
 */
@Revision("1")
public record BillingAdjustmentIssued(BillingMonthId billingMonthId, String adjustmentId, YearMonth month,
                                      int sequenceNumber, String replacesClaimId, Kind kind,
                                      String billingPractitioner,
                                      List<StatementLine> previousLines, List<StatementLine> lines,
                                      List<StatementLine> addedLines, List<StatementLine> removedLines,
                                      BigDecimal amountDue, BigDecimal overpayment, BigDecimal coinsuranceRefund,
                                      LocalDate identifiedOn, LocalDate refundDueBy, FeeBasis feeBasis,
                                      long enrollmentSequence, int carePlanVersion, List<String> triggeredBy,
                                      List<CountedEvent> eventsCounted, BillingMinutes minutes,
                                      List<Reason> reasons) implements PatientEvent {

    @Override
    public EnrollmentId enrollmentId() {
        return billingMonthId.enrollmentId();
    }

    /**
     * What an adjustment does: units added, units removed (an overpayment), both, or neither (a corrected date of
     * service, e.g. a death recorded after close: edge case 7).
     */
    public enum Kind { ADDITIONAL_UNITS, OVERPAYMENT, REPLACEMENT, CORRECTION }
}
