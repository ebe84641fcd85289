package org.ccmledger.ledger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.bson.Document;

/**
 * Computes the Merkle root of {@link LedgerDigests} over the ledger's slots, reading blocks of global indexes by key
 * ({@code _id $in}). Each event's leaf uses the hash of its canonical form computed from its stored fields, so a
 * root covers every hashed field of every event (all but {@code streamKey} and {@code hash}, which are derived from
 * them), whatever its stored {@code hash} says.
 */
public final class LedgerSealer {

    /**
     * The slots read.
     *
     * @param sealedUpTo     N: every slot from 1 to N holds a document; the root covers exactly these
     * @param eventCount     events among them
     * @param merkleRoot     the Merkle root over slots 1…N, hex
     * @param firstEmptySlot the empty slot the walk stopped at, or 0 when it reached its limit
     * @param rootsAt        for each checkpoint asked for that is at most N, the root over slots 1 to it
     */
    public record Seal(long sealedUpTo, long eventCount, String merkleRoot, long firstEmptySlot,
                       Map<Long, String> rootsAt) {
    }

    private final LedgerCollections collections;
    private final int blockSize;

    /**
     * @param blockSize global indexes read per query
     */
    public LedgerSealer(LedgerCollections collections, int blockSize) {
        this.collections = collections;
        this.blockSize = blockSize;
    }

    /**
     * Everything that can be sealed now: slots from 1 up to the highest reserved index, stopping before the first
     * slot that holds no document yet (a commit in flight, or a gap no tracker has decided), so no slot is sealed
     * before its content is final.
     */
    public Seal sealable() {
        return walk(collections.highestReserved(), List.of());
    }

    /**
     * The root over slots 1 to {@code upTo} as the ledger holds them now, and the roots of the shorter prefixes named
     * in {@code checkpoints}; stops early at an empty slot ({@link Seal#firstEmptySlot()}).
     */
    public Seal recompute(long upTo, Collection<Long> checkpoints) {
        return walk(upTo, checkpoints);
    }

    private Seal walk(long limit, Collection<Long> checkpoints) {
        TreeSet<Long> pendingCheckpoints = new TreeSet<>(checkpoints);
        Map<Long, String> rootsAt = new TreeMap<>();
        LedgerDigests.MerkleRoot tree = new LedgerDigests.MerkleRoot();
        while (!pendingCheckpoints.isEmpty() && pendingCheckpoints.first() <= 0) {
            rootsAt.put(pendingCheckpoints.pollFirst(), tree.rootHex());
        }
        long events = 0;
        for (long from = 1; from <= limit; from += blockSize) {
            long to = Math.min(limit, from + blockSize - 1);
            Map<Long, Document> found = collections.slots(from, to);
            for (long index = from; index <= to; index++) {
                Document document = found.get(index);
                if (document == null) {
                    return new Seal(index - 1, events, tree.rootHex(), index, rootsAt);
                }
                if (StoredEvent.isTombstone(document)) {
                    tree.add(LedgerDigests.tombstoneLeaf(index));
                } else {
                    events++;
                    tree.add(LedgerDigests.eventLeaf(index, StoredEvent.fromDocument(document).sealed().hash()));
                }
                if (!pendingCheckpoints.isEmpty() && pendingCheckpoints.first() == index) {
                    rootsAt.put(index, tree.rootHex());
                    pendingCheckpoints.pollFirst();
                }
            }
        }
        return new Seal(Math.max(0, limit), events, tree.rootHex(), 0, rootsAt);
    }
}
