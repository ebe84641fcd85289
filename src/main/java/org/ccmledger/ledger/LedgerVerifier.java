package org.ccmledger.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;

import org.bson.Document;

import com.mongodb.client.model.Filters;

/**
 * Recomputes the ledger's hash chains from the stored documents and reports the first event that does not match.
 * Reads by key only: the whole ledger in blocks of global indexes, or one aggregate by its stream keys.
 * <p>
 * Checks, in global-index order: every index up to the highest reserved holds an event unless it is a recorded dead
 * gap; every event's stored hash equals the hash of its canonical form ({@link EventHash}); every event names as
 * previous hash the hash of its aggregate's previous event; and an aggregate's sequence numbers follow one another.
 */
public class LedgerVerifier {

    /** What is wrong with the event at the reported position. */
    public enum Problem {
        /** No event at this global index, and it is not a recorded dead gap. */
        MISSING_EVENT,
        /** The stored hash is not the hash of the stored content. */
        HASH_MISMATCH,
        /** The previous-hash does not name the aggregate's previous event. */
        CHAIN_BROKEN,
        /** The aggregate's sequence numbers skip or repeat. */
        SEQUENCE_BROKEN
    }

    /** The first break found. */
    public record Break(long globalIndex, String streamKey, Problem problem) {
    }

    /**
     * @param eventsChecked events read and checked
     * @param highestIndex  the highest global index reserved when the check started
     * @param deadGaps      indexes skipped because a failed commit recorded them as dead
     * @param firstBreak    the first break, or {@code null} when everything matched
     */
    public record Report(long eventsChecked, long highestIndex, long deadGaps, Break firstBreak) {
        public boolean intact() {
            return firstBreak == null;
        }
    }

    private record ChainHead(long sequenceNumber, String hash) {
    }

    private final LedgerCollections collections;
    private final int blockSize;

    public LedgerVerifier(LedgerCollections collections) {
        this(collections, 500);
    }

    public LedgerVerifier(LedgerCollections collections, int blockSize) {
        this.collections = collections;
        this.blockSize = blockSize;
    }

    /** Verifies the whole ledger up to the highest global index reserved now. */
    public Report verifyLedger() {
        long head = collections.highestReserved();
        Map<String, ChainHead> heads = new HashMap<>();
        long checked = 0;
        long dead = 0;
        for (long from = 1; from <= head; from += blockSize) {
            long to = Math.min(head, from + blockSize - 1);
            List<Long> keys = LongStream.rangeClosed(from, to).boxed().toList();
            Map<Long, StoredEvent> found = new TreeMap<>();
            collections.events().find(Filters.in("_id", keys))
                       .forEach(d -> found.put(d.get("_id", Number.class).longValue(), StoredEvent.fromDocument(d)));
            Set<Long> deadHere = found.size() == keys.size() ? Set.of() : deadGaps(keys, found);
            for (long index = from; index <= to; index++) {
                StoredEvent event = found.get(index);
                if (event == null) {
                    if (!deadHere.contains(index)) {
                        return new Report(checked, head, dead, new Break(index, null, Problem.MISSING_EVENT));
                    }
                    dead++;
                    continue;
                }
                checked++;
                Problem problem = check(event, heads);
                if (problem != null) {
                    return new Report(checked, head, dead, new Break(index, event.streamKey(), problem));
                }
            }
        }
        return new Report(checked, head, dead, null);
    }

    /**
     * Verifies one aggregate's chain, from its first event to its last: reads blocks of stream keys until a block
     * holds none, so a missing event inside the stream shows as a broken sequence at the event after it.
     */
    public Report verifyAggregate(String aggregateIdentifier) {
        Map<String, ChainHead> heads = new HashMap<>();
        long checked = 0;
        for (long from = 0; ; from += blockSize) {
            List<String> keys = new ArrayList<>();
            for (long seq = from; seq < from + blockSize; seq++) {
                keys.add(StoredEvent.streamKey(aggregateIdentifier, seq));
            }
            Map<Long, StoredEvent> bySequence = new TreeMap<>();
            collections.events().find(Filters.in(StoredEvent.STREAM_KEY, keys))
                       .forEach(d -> {
                           StoredEvent e = StoredEvent.fromDocument(d);
                           bySequence.put(e.sequenceNumber(), e);
                       });
            for (StoredEvent event : bySequence.values()) {
                checked++;
                Problem problem = check(event, heads);
                if (problem != null) {
                    return new Report(checked, collections.highestReserved(), 0,
                                      new Break(event.globalIndex(), event.streamKey(), problem));
                }
            }
            if (bySequence.isEmpty()) {
                // the walk ends at the first empty block, not at the first hole, so a deleted event is reported
                return new Report(checked, collections.highestReserved(), 0, null);
            }
        }
    }

    private static Problem check(StoredEvent event, Map<String, ChainHead> heads) {
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
        heads.put(event.aggregateIdentifier(), new ChainHead(event.sequenceNumber(), event.hash()));
        return null;
    }

    private Set<Long> deadGaps(List<Long> keys, Map<Long, StoredEvent> found) {
        List<Long> missing = keys.stream().filter(k -> !found.containsKey(k)).toList();
        Set<Long> dead = new HashSet<>();
        collections.deadGaps().find(Filters.in("_id", missing))
                   .forEach((Document d) -> dead.add(d.get("_id", Number.class).longValue()));
        return dead;
    }
}
