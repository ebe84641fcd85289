package org.ccmledger.billing.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records the payer's claim control number (ICN) for a claim version that went out: what a replacement or void of it
 * must name (REF*F8). Refused for a claim never sent.
 */
public record RecordPayerReference(@TargetAggregateIdentifier ClaimExportsId exports, String claimId, String icn) {
}
