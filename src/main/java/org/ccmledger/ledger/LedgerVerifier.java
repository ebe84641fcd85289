package org.ccmledger.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;

/**
 * Recomputes the ledger's hash chains from the stored documents and reports the first event that does not match.
 * Reads by key only: the whole ledger in blocks of global indexes, or one aggregate by its stream keys
 * ({@link AggregateChains}).
 * <p>
 * Checks, in global-index order: every index up to the highest reserved holds an event or a tombstone (an index
 * without either is reported missing once it is older than the gap timeout; younger ones belong to commits in
 * flight and are counted as pending); every event's stored hash equals the hash of its canonical form
 * ({@link EventHash}); its stream key matches its aggregate and sequence number; every event names as previous hash
 * the hash of its aggregate's previous event; and an aggregate's sequence numbers follow one another.
 */
public class LedgerVerifier {

    /** What is wrong with the document at the reported position. */
    public enum Problem {
        /** No event or tombstone at this global index, older than the gap timeout. */
        MISSING_EVENT,
        /** The stored hash is not the hash of the stored content. */
        HASH_MISMATCH,
        /** The stream key does not match the event's aggregate and sequence number. */
        KEY_MISMATCH,
        /** The previous-hash does not name the aggregate's previous event. */
        CHAIN_BROKEN,
        /** The aggregate's sequence numbers skip or repeat. */
        SEQUENCE_BROKEN,
        /** The stream ends before the event its head record names: its last events were deleted. */
        STREAM_TRUNCATED,
        /**
         * The stream's last event is not the one its head record names (another hash, index or sequence number: events
         * rewritten and re-hashed, or added behind the store's back), or a stream written with heads has none.
         */
        HEAD_MISMATCH,
        /**
         * The event differs from what a digest sealed (its leaf, or the head the digest recorded for its stream): it
         * was rewritten, and re-hashed and re-chained, after the digest was taken, or a sealed event was deleted.
         */
        SEALED_CONTENT_CHANGED
    }

    /** The first break found. */
    public record Break(long globalIndex, String streamKey, Problem problem) {
    }

    /**
     * @param eventsChecked events read and checked
     * @param highestIndex  the highest global index reserved when the check started
     * @param tombstones    indexes held by tombstones (commits that failed)
     * @param pending       empty indexes younger than the gap timeout: commits still in flight
     * @param firstBreak    the first break, or {@code null} when everything matched
     */
    public record Report(long eventsChecked, long highestIndex, long tombstones, long pending, Break firstBreak) {
        public boolean intact() {
            return firstBreak == null;
        }
    }

    /** Where a chain stands after its last checked event. */
    record ChainHead(long sequenceNumber, String hash, long globalIndex, boolean typed) {
    }

    private final LedgerCollections collections;
    private final int blockSize;
    private final Clock clock;
    private final Duration gapTimeout;
    private final AggregateChains chains;

    public LedgerVerifier(LedgerCollections collections) {
        this(collections, 500, Clock.systemUTC(), Duration.ofSeconds(60));
    }

    public LedgerVerifier(LedgerCollections collections, int blockSize) {
        this(collections, blockSize, Clock.systemUTC(), Duration.ofSeconds(60));
    }

    /**
     * @param blockSize  global indexes read per query
     * @param clock      to tell in-flight commits from missing events
     * @param gapTimeout the store's gap timeout
     */
    public LedgerVerifier(LedgerCollections collections, int blockSize, Clock clock, Duration gapTimeout) {
        this.collections = collections;
        this.blockSize = blockSize;
        this.clock = clock;
        this.gapTimeout = gapTimeout;
        this.chains = new AggregateChains(collections, blockSize);
    }

    /**
     * Told after each block of global indexes the verifier has checked. It may throw (for example when the caller
     * went away) to stop the verification; the exception reaches the verifier's caller.
     */
    @FunctionalInterface
    public interface Progress {
        /** Does nothing. */
        Progress NONE = (checkedUpTo, eventsChecked) -> {
        };

        /**
         * @param checkedUpTo   every index up to this one is checked
         * @param eventsChecked events checked so far
         */
        void blockChecked(long checkedUpTo, long eventsChecked);
    }

    /** Verifies the whole ledger up to the highest global index reserved now. */
    public Report verifyLedger() {
        return verifyLedger(0, Progress.NONE);
    }

    /**
     * Verifies the whole ledger up to the highest global index reserved now, telling {@code progress} after each
     * block.
     *
     * @param sealedUpTo the highest index a ledger digest sealed, 0 for none. A digest seals only slots that held a
     *                   document, so an empty slot at or below it is {@code MISSING_EVENT} whatever its age
     */
    public Report verifyLedger(long sealedUpTo, Progress progress) {
        return verify(collections.highestReserved(), sealedUpTo, progress, true);
    }

    /**
     * Verifies global indexes 1 to {@code upTo} only, every one of which a digest sealed: an empty one is
     * {@code MISSING_EVENT}. Events of an aggregate below {@code upTo} are checked against their predecessors as in
     * {@link #verifyLedger()}; later events are not read.
     */
    public Report verifyUpTo(long upTo) {
        return verify(upTo, upTo, Progress.NONE, false);
    }

    private Report verify(long head, long sealedUpTo, Progress progress, boolean checkHeads) {
        Instant horizon = clock.instant().minus(gapTimeout);
        Map<String, ChainHead> heads = new HashMap<>();
        long checked = 0;
        long tombstones = 0;
        long pending = 0;
        Instant nextRecordedAbove = null;
        for (long from = 1; from <= head; from += blockSize) {
            long to = Math.min(head, from + blockSize - 1);
            Map<Long, Document> found = collections.slots(from, to);
            for (long index = from; index <= to; index++) {
                Document document = found.get(index);
                if (document == null) {
                    if (index <= sealedUpTo) {
                        return new Report(checked, head, tombstones, pending,
                                          new Break(index, null, Problem.MISSING_EVENT));
                    }
                    if (nextRecordedAbove == null) {
                        nextRecordedAbove = recordedAtOfNextAbove(index, to, found, head);
                    }
                    if (nextRecordedAbove.isBefore(horizon)) {
                        return new Report(checked, head, tombstones, pending,
                                          new Break(index, null, Problem.MISSING_EVENT));
                    }
                    pending++;
                    continue;
                }
                nextRecordedAbove = null;
                if (StoredEvent.isTombstone(document)) {
                    tombstones++;
                    continue;
                }
                StoredEvent event = StoredEvent.fromDocument(document);
                checked++;
                Problem problem = check(event, heads);
                if (problem != null) {
                    return new Report(checked, head, tombstones, pending,
                                      new Break(index, event.streamKey(), problem));
                }
            }
            progress.blockChecked(to, checked);
        }
        return new Report(checked, head, tombstones, pending, checkHeads ? headBreak(heads, head) : null);
    }

    /**
     * Compares the streams' recorded heads with where the streams end: every recorded head (or, with {@code streams},
     * those of these streams only) must name the stream's last event; a stream whose last event was written with a
     * head (typed hash) must have one. Reported at the head's global index.
     */
    private Break headBreak(Map<String, ChainHead> ends, long upTo) {
        Map<String, StreamHeads.Head> recorded = new TreeMap<>();
        collections.streamHeads().find().forEach(d -> recorded.put(
                d.getString("_id"), new StreamHeads.Head(d.getString("_id"),
                                                         ((Number) d.get(StreamHeads.SEQUENCE)).longValue(),
                                                         d.getString(StreamHeads.HASH),
                                                         ((Number) d.get(StreamHeads.GLOBAL_INDEX)).longValue())));
        return compare(ends, recorded, upTo);
    }

    static Break compare(Map<String, ChainHead> ends, Map<String, StreamHeads.Head> recorded, long upTo) {
        for (StreamHeads.Head head : new TreeMap<>(recorded).values()) {
            if (head.globalIndex() > upTo) {
                continue; // appended after the verification began
            }
            ChainHead end = ends.get(head.stream());
            if (end == null || end.sequenceNumber() < head.sequence()) {
                return new Break(head.globalIndex(), StoredEvent.streamKey(head.stream(), head.sequence()),
                                 Problem.STREAM_TRUNCATED);
            }
            if (end.sequenceNumber() > head.sequence() || !end.hash().equals(head.hash())
                || end.globalIndex() != head.globalIndex()) {
                return new Break(end.globalIndex(), StoredEvent.streamKey(head.stream(), end.sequenceNumber()),
                                 Problem.HEAD_MISMATCH);
            }
        }
        for (Map.Entry<String, ChainHead> end : new TreeMap<>(ends).entrySet()) {
            if (end.getValue().typed() && !recorded.containsKey(end.getKey())) {
                return new Break(end.getValue().globalIndex(),
                                 StoredEvent.streamKey(end.getKey(), end.getValue().sequenceNumber()),
                                 Problem.HEAD_MISMATCH);
            }
        }
        return null;
    }

    /**
     * When the first document above an empty index was recorded; an empty index with nothing above it is as young
     * as the newest reservation (now).
     */
    private Instant recordedAtOfNextAbove(long index, long blockEnd, Map<Long, Document> block, long head) {
        Map<Long, Document> found = block;
        long end = blockEnd;
        for (long i = index + 1; i <= head; i++) {
            if (i > end) {
                end = Math.min(head, i + blockSize - 1);
                found = collections.slots(i, end);
            }
            Document document = found.get(i);
            if (document != null && document.getDate(StoredEvent.RECORDED_AT) != null) {
                return document.getDate(StoredEvent.RECORDED_AT).toInstant();
            }
        }
        return clock.instant();
    }

    /**
     * Verifies one aggregate's chain, from its first event to its last ({@link AggregateChains#verify}): a missing
     * event inside the stream shows as a broken sequence at the event after it.
     */
    public Report verifyAggregate(String aggregateIdentifier) {
        return chains.verify(aggregateIdentifier);
    }

    /**
     * The first break of each of many aggregates' chains, as {@link #verifyAggregate} finds it (absent when a chain is
     * intact), with a few {@code $in} lookups for all of them ({@link AggregateChains#firstBreaks}).
     */
    public Map<String, Break> firstBreaks(java.util.Collection<String> aggregateIdentifiers) {
        return chains.firstBreaks(aggregateIdentifiers);
    }

    /** Those of the given streams the ledger holds a head record for (streams written since heads were kept). */
    public List<String> recorded(java.util.Collection<String> streams) {
        return StreamHeads.read(collections.streamHeads(), streams).keySet().stream().sorted().toList();
    }

    /** The problem of the next event of its chain ({@code heads} where each chain stands), or null; moves the chain. */
    static Problem check(StoredEvent event, Map<String, ChainHead> heads) {
        if (!event.expectedStreamKey().equals(event.streamKey())) {
            return Problem.KEY_MISMATCH;
        }
        if (!event.hashMatches()) {
            return Problem.HASH_MISMATCH;
        }
        if (event.aggregateIdentifier() == null) {
            return EventHash.GENESIS.equals(event.previousHash()) ? null : Problem.CHAIN_BROKEN;
        }
        ChainHead previous = heads.get(event.aggregateIdentifier());
        long expectedSequence = previous == null ? 0 : previous.sequenceNumber() + 1;
        if (event.sequenceNumber() != expectedSequence) {
            return Problem.SEQUENCE_BROKEN;
        }
        String expectedPrevious = previous == null ? EventHash.GENESIS : previous.hash();
        if (!expectedPrevious.equals(event.previousHash())) {
            return Problem.CHAIN_BROKEN;
        }
        heads.put(event.aggregateIdentifier(), new ChainHead(event.sequenceNumber(), event.hash(),
                                                             event.globalIndex(),
                                                             event.hashFormat() == EventHash.TYPED_FORMAT));
        return null;
    }
}
