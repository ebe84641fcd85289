package org.ccmledger.billing;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    /** The claim that stands: the statement's, or the last adjustment's (its replacement). */
    private String lastClaimId;
    private List<StatementLine> standing = List.of();
    private int adjustments;

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
        if (command.statement().lines().isEmpty()) {
            throw Refusal.rule("NOTHING_TO_BILL", "R2", "a statement needs at least one billable line");
        }
        apply(command.statement());
        return command.statement().statementId();
    }

    /** Returns the adjustment id, or {@code null} when the recomputation bills the same codes and units. */
    @CommandHandler
    String handle(IssueBillingAdjustment command) {
        MonthEvaluation now = command.evaluation();
        if (sameUnits(standing, now.lines())) {
            return null;
        }
        List<StatementLine> added = new ArrayList<>();
        List<StatementLine> removed = new ArrayList<>();
        Map<String, StatementLine> before = byCode(standing);
        Map<String, StatementLine> after = byCode(now.lines());
        for (StatementLine line : now.lines()) {
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
        BigDecimal addedAmount = StatementLine.total(added).knownPart();
        BigDecimal removedAmount = StatementLine.total(removed).knownPart();
        BigDecimal net = addedAmount.subtract(removedAmount);
        BigDecimal amountDue = net.signum() > 0 ? net : BigDecimal.ZERO.setScale(2);
        BigDecimal overpayment = net.signum() < 0 ? net.negate() : BigDecimal.ZERO.setScale(2);
        BigDecimal coinsuranceRefund = now.qualifiedMedicareBeneficiary() ? BigDecimal.ZERO.setScale(2)
                : overpayment.multiply(now.feeBasis().coinsuranceRate()).setScale(2, RoundingMode.HALF_UP);
        Kind kind = removed.isEmpty() ? Kind.ADDITIONAL_UNITS : added.isEmpty() ? Kind.OVERPAYMENT : Kind.REPLACEMENT;
        LocalDate identifiedOn = LocalDate.ofInstant(GenericEventMessage.clock.instant(), ZoneOffset.UTC);
        List<Reason> reasons = new ArrayList<>();
        reasons.add(new Reason("P4", "the month changed after its statement; the statement stands and this "
                                     + "adjustment replaces claim " + lastClaimId));
        if (!added.isEmpty()) {
            reasons.add(new Reason("R19", "additional units are billed on a replacement claim within the timely "
                                          + "filing limit (1 year from the date of service)"));
        }
        if (overpayment.signum() > 0) {
            reasons.add(new Reason("R19", "overpayment of " + overpayment.toPlainString() + " identified on "
                                          + identifiedOn + ": return by " + identifiedOn.plusDays(REFUND_DAYS)));
            reasons.add(new Reason("R14", now.qualifiedMedicareBeneficiary()
                    ? "the patient is a QMB: no coinsurance was billed, none to refund"
                    : "refund the patient's coinsurance of " + coinsuranceRefund.toPlainString()));
        }
        reasons.addAll(now.blockers());
        String adjustmentId = statementId + "-a" + (adjustments + 1);
        apply(new BillingAdjustmentIssued(command.billingMonthId(), adjustmentId, now.month(), adjustments + 1,
                                          lastClaimId, kind, standing, now.lines(), added, removed, amountDue,
                                          overpayment, coinsuranceRefund, identifiedOn,
                                          overpayment.signum() > 0 ? identifiedOn.plusDays(REFUND_DAYS) : null,
                                          now.feeBasis(), command.enrollmentSequence(), command.triggeredBy(),
                                          command.eventsCounted(), now.minutes(), reasons));
        return adjustmentId;
    }

    private static boolean sameUnits(List<StatementLine> a, List<StatementLine> b) {
        Map<String, Integer> left = new TreeMap<>();
        Map<String, Integer> right = new TreeMap<>();
        a.forEach(l -> left.merge(l.code(), l.units(), Integer::sum));
        b.forEach(l -> right.merge(l.code(), l.units(), Integer::sum));
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
        lastClaimId = event.statementId();
        standing = event.lines();
    }

    @EventSourcingHandler
    void on(BillingAdjustmentIssued event) {
        adjustments = event.sequenceNumber();
        lastClaimId = event.adjustmentId();
        standing = event.lines();
    }
}
