package org.ccmledger.ledger;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.types.Binary;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

/**
 * What a digest sealed beyond its roots, kept so that a change can be found later without an export: the leaves of the
 * slots each digest added ({@code digest_leaves}, {@code _id} = {@code <digest>:<chunk>}, chunks of 4,096 32-byte
 * leaves), and the sealed head of every stream ({@code sealed_heads}, {@code _id} = stream: the digest that last
 * sealed it and its last event then). Both are written after their digest and are worth what the digest's signature
 * makes them worth: stored leaves count only when their root is the signed root, and a stream's sealed head is checked
 * against the stream whenever the stream is verified.
 */
public final class SealedRecord {

    static final String LEAVES = "digest_leaves";
    static final String HEADS = "sealed_heads";
    private static final int LEAF = 32;
    private static final int CHUNK = 4096;

    private final LedgerCollections collections;
    private final MongoCollection<Document> leaves;
    private final MongoCollection<Document> heads;

    public SealedRecord(LedgerCollections collections) {
        this.collections = collections;
        this.leaves = collections.collection(LEAVES);
        this.heads = collections.collection(HEADS);
    }

    /**
     * The first slot at or below the N of the last of {@code digests} (every digest up to it, in order) whose content
     * today differs from what was sealed, with its stream key, found by comparing today's leaves with the kept ones,
     * once those are shown to be the sealed ones (their root is the last digest's signed root); empty when the kept
     * leaves are missing or not the sealed ones, or nothing differs.
     */
    public java.util.Optional<LedgerVerifier.Break> locate(List<LedgerDigests.Digest> digests, LedgerSealer sealer) {
        if (digests.isEmpty()) {
            return java.util.Optional.empty();
        }
        LedgerDigests.Digest last = digests.get(digests.size() - 1);
        byte[] kept = leavesUpTo(digests);
        if (kept == null || !rootOf(kept).equals(last.merkleRoot())) {
            return java.util.Optional.empty();
        }
        long slot = firstDifference(kept, sealer.leaves(1, last.sealedUpTo()));
        if (slot == 0) {
            return java.util.Optional.empty();
        }
        Document now = collections.slots(slot, slot).get(slot);
        String streamKey = now == null || StoredEvent.isTombstone(now) ? null : now.getString(StoredEvent.STREAM_KEY);
        return java.util.Optional.of(new LedgerVerifier.Break(slot, streamKey,
                                                              LedgerVerifier.Problem.SEALED_CONTENT_CHANGED));
    }

    /**
     * Keeps what {@code digest} added: the leaves of its slots {@code firstSlot} to its N, and the heads of the streams
     * that grew in them.
     */
    public void keep(LedgerDigests.Digest digest, long firstSlot, byte[] newLeaves,
                     Collection<LedgerSealer.SealedHead> sealedHeads) {
        int count = newLeaves.length / LEAF;
        for (int chunk = 0; chunk * CHUNK < count; chunk++) {
            int from = chunk * CHUNK;
            int size = Math.min(CHUNK, count - from);
            byte[] part = new byte[size * LEAF];
            System.arraycopy(newLeaves, from * LEAF, part, 0, part.length);
            leaves.replaceOne(Filters.eq("_id", digest.sequence() + ":" + chunk),
                              new Document("_id", digest.sequence() + ":" + chunk).append("digest", digest.sequence())
                                      .append("from", firstSlot + from).append("count", size)
                                      .append("leaves", new Binary(part)),
                              new ReplaceOptions().upsert(true));
        }
        // read the streams' sealed heads by key, in blocks, and replace those a later digest has not sealed: every
        // query a key lookup (the embedded server scans a collection for a query on more than an index's keys)
        List<LedgerSealer.SealedHead> grown = sealedHeads.stream().filter(h -> h.globalIndex() >= firstSlot).toList();
        for (int from = 0; from < grown.size(); from += 500) {
            List<LedgerSealer.SealedHead> block = grown.subList(from, Math.min(grown.size(), from + 500));
            Map<String, Long> sealedBy = new HashMap<>();
            heads.find(Filters.in("_id", block.stream().map(LedgerSealer.SealedHead::stream).toList()))
                 .forEach(d -> sealedBy.put(d.getString("_id"), ((Number) d.get("digest")).longValue()));
            for (LedgerSealer.SealedHead head : block) {
                Long by = sealedBy.get(head.stream());
                if (by != null && by >= digest.sequence()) {
                    continue; // a later digest sealed this stream already
                }
                heads.replaceOne(Filters.eq("_id", head.stream()),
                                 new Document("_id", head.stream()).append("digest", digest.sequence())
                                         .append("sequence", head.sequence()).append("hash", head.hash())
                                         .append("globalIndex", head.globalIndex()),
                                 new ReplaceOptions().upsert(true));
            }
        }
    }

    /**
     * The kept leaves of slots 1 to the N of the last of {@code digests} (every digest up to it, in order), or
     * {@code null} when any of them is missing or does not fit.
     */
    public byte[] leavesUpTo(List<LedgerDigests.Digest> digests) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long next = 1;
        for (LedgerDigests.Digest digest : digests) {
            long added = digest.sealedUpTo() - next + 1;
            if (added < 0) {
                return null;
            }
            int chunks = (int) ((added + CHUNK - 1) / CHUNK);
            List<String> keys = new ArrayList<>();
            for (int chunk = 0; chunk < chunks; chunk++) {
                keys.add(digest.sequence() + ":" + chunk);
            }
            Map<String, Document> found = new HashMap<>();
            leaves.find(Filters.in("_id", keys)).forEach(d -> found.put(d.getString("_id"), d));
            for (String key : keys) {
                Document chunk = found.get(key);
                if (chunk == null || ((Number) chunk.get("from")).longValue() != next) {
                    return null;
                }
                byte[] part = chunk.get("leaves", Binary.class).getData();
                all.writeBytes(part);
                next += part.length / LEAF;
            }
            if (next != digest.sealedUpTo() + 1) {
                return null;
            }
        }
        return all.toByteArray();
    }

    /** The sealed heads of the given streams that have one. */
    public Map<String, LedgerSealer.SealedHead> heads(Collection<String> streams) {
        Map<String, LedgerSealer.SealedHead> found = new HashMap<>();
        for (Document d : heads.find(Filters.in("_id", List.copyOf(streams)))) {
            found.put(d.getString("_id"), new LedgerSealer.SealedHead(
                    d.getString("_id"), ((Number) d.get("sequence")).longValue(), d.getString("hash"),
                    ((Number) d.get("globalIndex")).longValue()));
        }
        return found;
    }

    /** The root of kept leaves, to compare with the digest that signed them. */
    public static String rootOf(byte[] leafBytes) {
        LedgerDigests.MerkleRoot tree = new LedgerDigests.MerkleRoot();
        for (int at = 0; at < leafBytes.length; at += LEAF) {
            byte[] leaf = new byte[LEAF];
            System.arraycopy(leafBytes, at, leaf, 0, LEAF);
            tree.add(leaf);
        }
        return tree.rootHex();
    }

    /** The first slot (1-based) whose leaf differs between two leaf sequences, or 0 when they agree. */
    public static long firstDifference(byte[] sealed, byte[] now) {
        int slots = Math.max(sealed.length, now.length) / LEAF;
        for (int slot = 0; slot < slots; slot++) {
            int at = slot * LEAF;
            if (at + LEAF > sealed.length || at + LEAF > now.length
                || !java.util.Arrays.equals(sealed, at, at + LEAF, now, at, at + LEAF)) {
                return slot + 1L;
            }
        }
        return 0;
    }
}
