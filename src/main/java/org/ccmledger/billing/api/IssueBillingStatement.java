package org.ccmledger.billing.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Closes a patient-month: issues its statement, unless it has one already (closing twice changes nothing). */
public record IssueBillingStatement(@TargetAggregateIdentifier BillingMonthId billingMonthId,
                                    BillingStatementIssued statement) {
}
