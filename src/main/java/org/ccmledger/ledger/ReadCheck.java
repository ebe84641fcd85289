package org.ccmledger.ledger;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Verify-on-read: every event the store hands on — to Axon (aggregates, snapshots, tracking) or through
 * {@link LedgerLookup} (billing, audit, packets, exports) — is checked first, and one that fails is never passed on:
 * its content must hash to its stored hash (by its form, {@link EventHash}), its stream key must match it, and its
 * {@code previousHash} must be the verified hash of its stream's previous event (64 zeros for a stream's first event
 * and for events of no stream). A failure is reported to the {@link LedgerMetrics} and thrown as a
 * {@link LedgerIntegrityException} naming the global index.
 * <p>
 * Pairwise checks cannot see a stream rewritten and re-hashed from some event to its end; the stream's head record
 * and the digests do ({@code docs/ledger.md}, "Threat model").
 */
final class ReadCheck {

    private final ChainHashes hashes;
    private final LedgerMetrics metrics;
    private final boolean enabled;

    /** @param enabled {@code false} checks nothing (to measure what checking costs); hashes are still remembered */
    ReadCheck(ChainHashes hashes, LedgerMetrics metrics, boolean enabled) {
        this.hashes = hashes;
        this.metrics = metrics;
        this.enabled = enabled;
    }

    ChainHashes hashes() {
        return hashes;
    }

    LedgerMetrics metrics() {
        return metrics;
    }

    /** Checks events read together, in the order given (events of one stream in sequence order link to each other). */
    void all(Collection<StoredEvent> events) {
        Map<String, String> read = new HashMap<>();
        for (StoredEvent event : events) {
            one(event, read);
        }
    }

    /**
     * Checks one event; {@code read} holds the verified hashes of events read with it, by stream key, and gains this
     * one's.
     */
    void one(StoredEvent event, Map<String, String> read) {
        if (!enabled) {
            hashes.remember(event.streamKey(), event.hash());
            return;
        }
        content(event);
        String expected = EventHash.GENESIS;
        if (event.aggregateIdentifier() != null && event.sequenceNumber() > 0) {
            String previousKey = StoredEvent.streamKey(event.aggregateIdentifier(), event.sequenceNumber() - 1);
            expected = read.get(previousKey);
            if (expected == null) {
                expected = hashes.hashOf(event.aggregateIdentifier(), event.sequenceNumber() - 1, this);
            }
        }
        if (!expected.equals(event.previousHash())) {
            throw fail(event.globalIndex(), LedgerVerifier.Problem.CHAIN_BROKEN);
        }
        hashes.remember(event.streamKey(), event.hash());
        read.put(event.streamKey(), event.hash());
        if (metrics.integrityFailuresOutstanding()) {
            metrics.integrityConfirmed(event.globalIndex());
        }
    }

    /** Checks an event's own content: its hash, by its form, and its key. */
    void content(StoredEvent event) {
        if (!enabled) {
            return;
        }
        if (!event.expectedStreamKey().equals(event.streamKey())) {
            throw fail(event.globalIndex(), LedgerVerifier.Problem.KEY_MISMATCH);
        }
        if (!event.hashMatches()) {
            throw fail(event.globalIndex(), LedgerVerifier.Problem.HASH_MISMATCH);
        }
    }

    /** Reports a failure and returns the exception to throw. */
    LedgerIntegrityException fail(long globalIndex, LedgerVerifier.Problem problem) {
        LedgerIntegrityException failure = new LedgerIntegrityException(globalIndex, problem);
        metrics.integrityFailure(failure);
        return failure;
    }
}
