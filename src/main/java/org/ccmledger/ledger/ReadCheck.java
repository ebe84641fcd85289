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
 * Pairwise checks cannot see a stream rewritten and re-hashed from some event to its end, nor its last events
 * deleted; a whole stream read is therefore also checked against its head ({@link #reachesHead}), and what a head
 * moved along with a rewrite hides, the digests show ({@code docs/ledger.md}, "Threat model").
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
        if (expected == null || !expected.equals(event.previousHash())) {
            // no predecessor (deleted), or another one than this event was chained to
            throw fail(event.globalIndex(), LedgerVerifier.Problem.CHAIN_BROKEN);
        }
        hashes.remember(event.streamKey(), event.hash());
        read.put(event.streamKey(), event.hash());
        if (metrics.integrityFailuresOutstanding()) {
            metrics.integrityConfirmed(event.globalIndex());
        }
    }

    /**
     * Checks that a stream read in sequence order from {@code firstSequence} on ({@code read}, contiguous, each event
     * already checked) reaches the head the stream had before the read: the event at the head's sequence number must
     * be there, with the head's hash and global index. Heads only move forward and are written with their events, so
     * a head read first never lies beyond what an intact stream holds: a stream that stops short of it lost its last
     * events ({@code STREAM_TRUNCATED}, also a deleted event in the middle: reading stops there), one whose event
     * there is another was rewritten and re-hashed ({@code HEAD_MISMATCH}). Events after the head were appended
     * during the read. A stream with no head (written before heads were kept) is not checked here.
     *
     * @param head the stream's head as read before its events, or {@code null}
     */
    void reachesHead(StreamHeads.Head head, long firstSequence, java.util.List<StoredEvent> read) {
        if (!enabled || head == null) {
            return;
        }
        if (head.sequence() < firstSequence) {
            // the head lies at or before the event a verified snapshot folds up to
            String hash = hashes.hashOf(head.stream(), head.sequence(), this);
            if (hash == null) {
                throw fail(head.globalIndex(), LedgerVerifier.Problem.STREAM_TRUNCATED);
            }
            if (!hash.equals(head.hash())) {
                throw fail(head.globalIndex(), LedgerVerifier.Problem.HEAD_MISMATCH);
            }
            return;
        }
        long at = head.sequence() - firstSequence;
        if (at >= read.size()) {
            throw fail(head.globalIndex(), LedgerVerifier.Problem.STREAM_TRUNCATED);
        }
        StoredEvent event = read.get((int) at);
        if (!event.hash().equals(head.hash()) || event.globalIndex() != head.globalIndex()) {
            throw fail(event.globalIndex(), LedgerVerifier.Problem.HEAD_MISMATCH);
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
