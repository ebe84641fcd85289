package org.ccmledger.billing.statement;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingAdjustmentIssued.Kind;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.IssueBillingAdjustment;
import org.ccmledger.billing.api.IssueBillingStatement;
import org.ccmledger.billing.api.MonthEvaluation;
import org.ccmledger.billing.api.Reason;
import org.ccmledger.billing.api.StatementLine;
import org.ccmledger.billing.api.Total;
import org.ccmledger.platform.problem.Refusal;

/**
 * One patient-month's billing once it is closed: the statement, then every adjustment, in one stream (P4). It
 * decides whether a recomputation changes what is billed and, if so, what the adjustment is: units added, or an
 * overpayment with its 60-day refund date (R19) and the coinsurance to refund (R14). It never changes the statement.
 */
@Aggregate
class BillingMonth {

    /** R19: an identified overpayment is returned within 60 days. */
    static final int REFUND_DAYS = 60;

    @AggregateIdentifier
    private String id;
    private String statementId;
    private String practitioner;
    /** The claim that stands: the statement's, or the last adjustment's (its replacement). */
    private String lastClaimId;
    private List<StatementLine> standing = List.of();
    private int adjustments;
    /**
     * The events that have adjusted this month. An event delivered again adjusts it no more: when a node dies, the
     * processor's segment is taken over from the last token it stored, so the events it had handled since are handled
     * again, and by then other late entries may have landed. Re-evaluated, the month would differ and be adjusted in
     * the name of the event delivered again; those entries adjust it when their own turn comes.
     */
    private final Set<String> adjustedBy = new HashSet<>();

    BillingMonth() {
        // for Axon
    }

    /** Returns the statement id; a month closed before keeps its statement (closing twice changes nothing). */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    String handle(IssueBillingStatement command) {
        if (id != null) {
            return statementId;
        }
        if (command.statement().lines().isEmpty() && command.statement().addOns().isEmpty()) {
            throw Refusal.rule("NOTHING_TO_BILL", "R2", "a statement needs at least one billable line or add-on");
        }
        apply(command.statement());
        return command.statement().statementId();
    }

    /**
     * Returns the adjustment id, or {@code null} when the recomputation bills the same codes, units and dates of
     * service. Units added more than a year after the date of service are past the timely-filing limit (R19): they
     * are not billed, only recorded; removals always apply.
     */
    @CommandHandler
    String handle(IssueBillingAdjustment command) {
        if (command.triggeredBy() != null && !command.triggeredBy().isEmpty()
                && adjustedBy.containsAll(command.triggeredBy())) {
            return null;
        }
        MonthEvaluation now = command.evaluation();
        LocalDate identifiedOn = LocalDate.ofInstant(GenericEventMessage.clock.instant(), ZoneOffset.UTC);
        List<Reason> reasons = new ArrayList<>();
        List<StatementLine> lines = withinTimelyFiling(now.lines(), identifiedOn, reasons);
        if (sameBill(standing, lines)) {
            return null;
        }
        List<StatementLine> added = new ArrayList<>();
        List<StatementLine> removed = new ArrayList<>();
        Map<String, StatementLine> before = byCode(standing);
        Map<String, StatementLine> after = byCode(lines);
        for (StatementLine line : lines) {
            StatementLine old = before.get(line.code());
            int delta = line.units() - (old == null ? 0 : old.units());
            if (delta > 0) {
                added.add(new StatementLine(line.code(), delta, line.unitAmount(), line.servicedDate()));
            }
        }
        for (StatementLine line : standing) {
            StatementLine kept = after.get(line.code());
            int delta = line.units() - (kept == null ? 0 : kept.units());
            if (delta > 0) {
                removed.add(new StatementLine(line.code(), delta, line.unitAmount(), line.servicedDate()));
            }
        }
        Total addedTotal = StatementLine.total(added);
        Total removedTotal = StatementLine.total(removed);
        BigDecimal net = addedTotal.complete() && removedTotal.complete()
                ? addedTotal.knownPart().subtract(removedTotal.knownPart()) : null;
        BigDecimal zero = BigDecimal.ZERO.setScale(2);
        BigDecimal amountDue = net == null ? (added.isEmpty() ? zero : null) : net.max(zero);
        BigDecimal overpayment = net == null ? (removed.isEmpty() ? zero : null) : net.negate().max(zero);
        BigDecimal coinsuranceRefund = now.qualifiedMedicareBeneficiary() ? zero
                : overpayment == null ? null
                : overpayment.multiply(now.feeBasis().coinsuranceRate()).setScale(2, RoundingMode.HALF_UP);
        Kind kind = added.isEmpty() && removed.isEmpty() ? Kind.CORRECTION
                : removed.isEmpty() ? Kind.ADDITIONAL_UNITS : added.isEmpty() ? Kind.OVERPAYMENT : Kind.REPLACEMENT;
        LocalDate refundDueBy = removed.isEmpty() ? null : identifiedOn.plusDays(REFUND_DAYS);
        reasons.add(0, new Reason("P4", "the month changed after its statement; the statement stands and this "
                                        + "adjustment replaces claim " + lastClaimId));
        if (!added.isEmpty()) {
            reasons.add(new Reason("R19", "additional units are billed on a replacement claim within the timely "
                                          + "filing limit (1 year from the date of service)"));
        }
        if (!removed.isEmpty()) {
            reasons.add(new Reason("R19", "overpayment of " + (overpayment == null ? "an unknown amount ("
                    + String.join(", ", removedTotal.unknownCodes()) + " has no amount in the fee data)"
                    : overpayment.toPlainString()) + " identified on " + identifiedOn + ": return by " + refundDueBy));
            reasons.add(new Reason("R14", now.qualifiedMedicareBeneficiary()
                    ? "the patient is a QMB: no coinsurance was billed, none to refund"
                    : "refund the patient's coinsurance of " + (coinsuranceRefund == null ? "20% of the overpayment"
                            : coinsuranceRefund.toPlainString())));
        }
        if (kind == Kind.CORRECTION) {
            reasons.add(new Reason("R12", "the date of service changed to " + now.dateOfService()));
        }
        reasons.addAll(now.blockers());
        String adjustmentId = statementId + "-a" + (adjustments + 1);
        apply(new BillingAdjustmentIssued(command.billingMonthId(), adjustmentId, now.month(), adjustments + 1,
                                          lastClaimId, kind, practitioner, standing, lines, added, removed,
                                          amountDue, overpayment, coinsuranceRefund, identifiedOn, refundDueBy,
                                          now.feeBasis(), command.enrollmentSequence(), command.carePlanVersion(),
                                          command.triggeredBy(), command.eventsCounted(), now.minutes(), reasons));
        return adjustmentId;
    }

    /** R19: units beyond what stands, found more than a year after their date of service, are not billed. */
    private List<StatementLine> withinTimelyFiling(List<StatementLine> lines, LocalDate identifiedOn,
                                                   List<Reason> reasons) {
        Map<String, StatementLine> before = byCode(standing);
        List<StatementLine> kept = new ArrayList<>();
        for (StatementLine line : lines) {
            StatementLine old = before.get(line.code());
            int standingUnits = old == null ? 0 : old.units();
            if (line.units() > standingUnits && identifiedOn.isAfter(line.servicedDate().plusYears(1))) {
                reasons.add(new Reason("R19", (line.units() - standingUnits) + " unit(s) of " + line.code()
                                              + " found after the timely-filing limit (1 year from "
                                              + line.servicedDate() + ") are not billed"));
                if (standingUnits > 0) {
                    kept.add(new StatementLine(line.code(), standingUnits, line.unitAmount(), line.servicedDate()));
                }
            } else {
                kept.add(line);
            }
        }
        return kept;
    }

    /** The same bill: the same codes with the same units and dates of service (amounts are the fee data's). */
    private static boolean sameBill(List<StatementLine> a, List<StatementLine> b) {
        Map<String, String> left = new TreeMap<>();
        Map<String, String> right = new TreeMap<>();
        a.forEach(l -> left.put(l.code(), l.units() + "@" + l.servicedDate()));
        b.forEach(l -> right.put(l.code(), l.units() + "@" + l.servicedDate()));
        return left.equals(right);
    }

    private static Map<String, StatementLine> byCode(List<StatementLine> lines) {
        Map<String, StatementLine> map = new TreeMap<>();
        lines.forEach(l -> map.put(l.code(), l));
        return map;
    }

    @EventSourcingHandler
    void on(BillingStatementIssued event) {
        id = event.billingMonthId().toString();
        statementId = event.statementId();
        practitioner = event.billingPractitioner();
        lastClaimId = event.statementId();
        // a statement issued before G0506 was kept apart carried it as a line of the CCM claim, where it is denied
        // (R9): it is not a line that stands, so its move to the visit's claim is not taken for a removal
        standing = event.lines().stream().filter(l -> !"G0506".equals(l.code())).toList();
    }

    @EventSourcingHandler
    void on(BillingAdjustmentIssued event) {
        adjustments = event.sequenceNumber();
        lastClaimId = event.adjustmentId();
        standing = event.lines();
        if (event.triggeredBy() != null) {
            adjustedBy.addAll(event.triggeredBy());
        }
    }
}
