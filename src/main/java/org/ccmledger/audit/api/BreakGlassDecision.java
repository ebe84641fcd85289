package org.ccmledger.audit.api;

/** What the compliance officer decided about an emergency (break-glass) read of a patient record. */
public enum BreakGlassDecision {
    /** The emergency and the reason stated justify the read. */
    APPROPRIATE,
    /** The read was not justified: the note says what follows (a sanction, training, a report to the patient …). */
    INAPPROPRIATE
}
