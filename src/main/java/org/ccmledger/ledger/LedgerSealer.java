package org.ccmledger.ledger;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.bson.Document;

/**
 * Computes the Merkle root of {@link LedgerDigests} over the ledger's slots, reading blocks of global indexes by key
 * ({@code _id $in}), and the root of every stream's head among them. Each event's leaf uses the hash of its content
 * computed from the stored document ({@link StoredEvent#contentHash()}), so a root covers every stored field of every
 * event, whatever its stored {@code hash} says.
 */
public final class LedgerSealer {

    /**
     * The slots read.
     *
     * @param sealedUpTo     N: every slot from 1 to N holds a document; the roots cover exactly these
     * @param eventCount     events among them
     * @param merkleRoot     the Merkle root over slots 1…N, hex
     * @param firstEmptySlot the empty slot the walk stopped at, or 0 when it reached its limit
     * @param rootsAt        for each checkpoint asked for that is at most N, the root over slots 1 to it
     * @param headsRoot      the root over each stream's last event among slots 1…N ({@link LedgerDigests#headsRoot})
     * @param heads          each stream's last event among slots 1…N
     * @param leaves         the 32-byte leaf hashes of the slots asked for ({@code leavesFrom} to N), concatenated
     */
    public record Seal(long sealedUpTo, long eventCount, String merkleRoot, long firstEmptySlot,
                       Map<Long, String> rootsAt, String headsRoot, Map<String, SealedHead> heads, byte[] leaves) {
    }

    /** A stream's last event among the sealed slots. */
    public record SealedHead(String stream, long sequence, String hash, long globalIndex) {
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
        return sealable(Long.MAX_VALUE);
    }

    /** {@link #sealable()}, with the leaves of the slots from {@code leavesFrom} on (what a new digest adds). */
    public Seal sealable(long leavesFrom) {
        return walk(collections.highestReserved(), List.of(), leavesFrom);
    }

    /**
     * The roots over slots 1 to {@code upTo} as the ledger holds them now, the roots of the shorter prefixes named in
     * {@code checkpoints}, and every leaf; stops early at an empty slot ({@link Seal#firstEmptySlot()}).
     */
    public Seal recompute(long upTo, Collection<Long> checkpoints) {
        return walk(upTo, checkpoints, Long.MAX_VALUE);
    }

    /** The leaves of slots {@code from} to {@code to} as the ledger holds them now (an empty slot ends them). */
    public byte[] leaves(long from, long to) {
        java.io.ByteArrayOutputStream leaves = new java.io.ByteArrayOutputStream();
        for (long start = from; start <= to; start += blockSize) {
            long end = Math.min(to, start + blockSize - 1);
            Map<Long, Document> found = collections.slots(start, end);
            for (long index = start; index <= end; index++) {
                Document document = found.get(index);
                if (document == null) {
                    return leaves.toByteArray();
                }
                leaves.writeBytes(leafOf(index, document));
            }
        }
        return leaves.toByteArray();
    }

    private static byte[] leafOf(long index, Document document) {
        return StoredEvent.isTombstone(document) ? LedgerDigests.tombstoneLeaf(index)
                : LedgerDigests.eventLeaf(index, String.valueOf(StoredEvent.fromDocument(document).contentHash()));
    }

    private Seal walk(long limit, Collection<Long> checkpoints, long leavesFrom) {
        TreeSet<Long> pendingCheckpoints = new TreeSet<>(checkpoints);
        Map<Long, String> rootsAt = new TreeMap<>();
        Map<String, SealedHead> heads = new HashMap<>();
        java.io.ByteArrayOutputStream leaves = new java.io.ByteArrayOutputStream();
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
                    return new Seal(index - 1, events, tree.rootHex(), index, rootsAt,
                                    LedgerDigests.headsRoot(heads.values()), heads, leaves.toByteArray());
                }
                byte[] leaf;
                if (StoredEvent.isTombstone(document)) {
                    leaf = leafOf(index, document);
                } else {
                    events++;
                    StoredEvent event = StoredEvent.fromDocument(document);
                    String content = String.valueOf(event.contentHash());
                    leaf = LedgerDigests.eventLeaf(index, content);
                    if (event.aggregateIdentifier() != null) {
                        heads.merge(event.aggregateIdentifier(),
                                    new SealedHead(event.aggregateIdentifier(), event.sequenceNumber(),
                                                   content, index),
                                    (a, b) -> b.sequence() >= a.sequence() ? b : a);
                    }
                }
                tree.add(leaf);
                if (index >= leavesFrom) {
                    leaves.writeBytes(leaf);
                }
                if (!pendingCheckpoints.isEmpty() && pendingCheckpoints.first() == index) {
                    rootsAt.put(index, tree.rootHex());
                    pendingCheckpoints.pollFirst();
                }
            }
        }
        return new Seal(Math.max(0, limit), events, tree.rootHex(), 0, rootsAt,
                        LedgerDigests.headsRoot(heads.values()), heads, leaves.toByteArray());
    }
}
