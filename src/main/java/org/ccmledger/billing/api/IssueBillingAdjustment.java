package org.ccmledger.billing.api;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Re-bills a closed patient-month from a recomputation: an adjustment is issued only when the recomputed lines
 * differ from those standing; otherwise nothing happens (the command is safe to repeat).
 */
public record IssueBillingAdjustment(@TargetAggregateIdentifier BillingMonthId billingMonthId,
                                     MonthEvaluation evaluation, List<CountedEvent> eventsCounted,
                                     long enrollmentSequence, int carePlanVersion, List<String> triggeredBy) {
}
