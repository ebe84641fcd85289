package org.ccmledger.identity.api;

/**
 * Why a patient's identity may be destroyed. Medicare requires the records behind a claim for 7 years from the date of
 * service (R18, 42 CFR 424.516(f)); HIPAA gives patients no right to erasure. So an erasure either follows the end of
 * that period, which the service checks, or an order the practice must follow (a court or regulator), which it names
 * in the reason.
 */
public enum ErasureBasis {
    /** The retention period of R18 is over for every record of the patient: checked against the ledger. */
    RETENTION_ENDED,
    /** A legal order the practice must follow; the reason cites it (a docket or reference number, never PHI). */
    LEGAL_ORDER
}
