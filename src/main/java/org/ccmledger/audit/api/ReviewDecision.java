package org.ccmledger.audit.api;

/** What a compliance officer decided about an OIG risk finding. */
public enum ReviewDecision {
    /** Reviewed: the billing stands as it is (the note says why). */
    ACCEPTED,
    /** Corrected: {@code reference} names what corrected it (an entry's correction, an adjustment …). */
    CORRECTED,
    /** The overpayment was refunded: {@code reference} names the refund (the MAC's reference, a check number …). */
    REFUND_ISSUED
}
