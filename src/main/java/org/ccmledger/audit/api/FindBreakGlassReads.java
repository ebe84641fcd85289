package org.ccmledger.audit.api;

import org.ccmledger.patient.PracticeId;

/**
 * A practice's emergency reads in the order recorded, each with its review: with {@code openOnly}, those not yet
 * reviewed. Answers a list of {@link BreakGlassRead}, at most {@link #MAX} of them.
 */
public record FindBreakGlassReads(PracticeId practiceId, boolean openOnly) {

    /** The most reads one answer lists. */
    public static final int MAX = 1000;
}
