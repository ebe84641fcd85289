package org.ccmledger.ledger;

import org.axonframework.eventsourcing.eventstore.EventStoreException;

/**
 * A stored event, or a snapshot, that does not match what was sealed: the store refuses to hand it on. Thrown by
 * verify-on-read wherever events leave the store (aggregate loading, tracking, key lookups), so no command, processor
 * or report ever acts on a forged or damaged event. Names the global index and the problem, never content.
 */
public class LedgerIntegrityException extends EventStoreException {

    private final long globalIndex;
    private final LedgerVerifier.Problem problem;

    public LedgerIntegrityException(long globalIndex, LedgerVerifier.Problem problem) {
        super("The ledger's event at global index " + globalIndex + " failed verification on read (" + problem
              + "); run the ledger verifier");
        this.globalIndex = globalIndex;
        this.problem = problem;
    }

    /** The global index of the event that failed, or of the event a snapshot claims to follow. */
    public long globalIndex() {
        return globalIndex;
    }

    public LedgerVerifier.Problem problem() {
        return problem;
    }
}
