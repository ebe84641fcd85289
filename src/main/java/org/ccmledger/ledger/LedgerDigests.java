package org.ccmledger.ledger;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Ledger digests: the Merkle root over every slot of the ledger up to a global index, and the signed record that
 * seals it. Pure functions, no database; the formats are written down in {@code docs/ledger.md}, "Digests: sealing
 * the ledger".
 * <p>
 * <b>Merkle tree</b>: the Merkle Tree Hash of RFC 6962 §2.1 with SHA-256 over the slots 1…N in global-index order.
 * <ul>
 *   <li>leaf of slot {@code i}: {@code SHA-256(0x00 || UTF-8("ccm-ledger/leaf/v1|" + i + "|" + h))}, where
 *   {@code h} is the event's hash (lower-case hex SHA-256 of its canonical form, {@link EventHash}) computed from
 *   its stored fields; for a tombstone {@code h} is the word {@code tombstone}</li>
 *   <li>interior node: {@code SHA-256(0x01 || left || right)} over the two 32-byte child hashes</li>
 *   <li>a tree of n &gt; 1 leaves splits at k, the largest power of two below n: {@code node(MTH(first k),
 *   MTH(the rest))}. Built level by level this is: pair nodes from the left, an odd last node is promoted to the
 *   next level unchanged (never duplicated, so no two leaf lists share a root)</li>
 *   <li>no leaves: {@code SHA-256("")}</li>
 * </ul>
 * The 0x00 and 0x01 prefixes keep leaves and interior nodes apart, and every leaf names its index, so a root
 * stands for exactly one sequence of N slots.
 * <p>
 * <b>Heads root</b> (digest v2): the same Merkle Tree Hash over one leaf per stream, in order of stream name, for the
 * stream's last event among the sealed slots: {@code SHA-256(0x00 || UTF-8("ccm-ledger/head/v1|" + sequence + "|" + h
 * + "|" + stream))}. It commits the digest to where every stream ended, so a stream cut short or rewritten from some
 * event on shows against it.
 * <p>
 * <b>Digest record</b>: the fields of {@link Digest} in the canonical text of {@link Digest#canonicalText()},
 * signed with Ed25519 over that text's UTF-8 bytes. Digests chain: each names the SHA-256 of the previous one's
 * canonical text.
 */
public final class LedgerDigests {

    /** Version of the leaf text. */
    public static final String LEAF_VERSION = "ccm-ledger/leaf/v1";
    /** Version of a digest's canonical text without a heads root, its first line (digests taken before v2). */
    public static final String DIGEST_VERSION = "ccm-ledger/digest/v1";
    /** Version of the canonical text with the heads root, what every digest is taken with now. */
    public static final String DIGEST_VERSION_2 = "ccm-ledger/digest/v2";
    /** Version of a heads-root leaf's text. */
    public static final String HEAD_VERSION = "ccm-ledger/head/v1";
    /** The JDK signature and key algorithm. */
    public static final String SIGNATURE_ALGORITHM = "Ed25519";
    /** The {@code previousDigest} of the first digest. */
    public static final String NO_PREVIOUS_DIGEST = "0".repeat(64);

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    private LedgerDigests() {
    }

    /** The leaf hash of the slot at {@code globalIndex} holding an event whose hash is {@code eventHash}. */
    public static byte[] eventLeaf(long globalIndex, String eventHash) {
        return leaf(LEAF_VERSION + "|" + globalIndex + "|" + eventHash);
    }

    /** The leaf hash of the slot at {@code globalIndex} holding a tombstone. */
    public static byte[] tombstoneLeaf(long globalIndex) {
        return leaf(LEAF_VERSION + "|" + globalIndex + "|tombstone");
    }

    private static byte[] leaf(String text) {
        MessageDigest sha = EventHash.sha256();
        sha.update(LEAF_PREFIX);
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        return sha.digest();
    }

    /** The root over every stream's last event, in order of stream name (see the class comment). */
    public static String headsRoot(java.util.Collection<LedgerSealer.SealedHead> heads) {
        MerkleRoot tree = new MerkleRoot();
        heads.stream().sorted(java.util.Comparator.comparing(LedgerSealer.SealedHead::stream))
             .forEach(head -> tree.add(leaf(HEAD_VERSION + "|" + head.sequence() + "|" + head.hash() + "|"
                                            + head.stream())));
        return tree.rootHex();
    }

    static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha = EventHash.sha256();
        sha.update(NODE_PREFIX);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /**
     * The Merkle root of leaves added in order, computed as they come: it keeps only the roots of the complete
     * subtrees so far (at most 64), so a root over millions of slots needs no list of them. {@link #root()} may be
     * asked at any point and gives the root of the leaves added so far.
     */
    public static final class MerkleRoot {

        private final List<byte[]> subtrees = new ArrayList<>();
        private long size;

        /** Adds the next leaf hash. */
        public void add(byte[] leafHash) {
            subtrees.add(leafHash);
            size++;
            for (long s = size; (s & 1) == 0; s >>= 1) {
                byte[] right = subtrees.remove(subtrees.size() - 1);
                byte[] left = subtrees.remove(subtrees.size() - 1);
                subtrees.add(node(left, right));
            }
        }

        /** Leaves added so far. */
        public long size() {
            return size;
        }

        /** The root of the leaves added so far. */
        public byte[] root() {
            if (subtrees.isEmpty()) {
                return EventHash.sha256().digest();
            }
            byte[] root = subtrees.get(subtrees.size() - 1);
            for (int i = subtrees.size() - 2; i >= 0; i--) {
                root = node(subtrees.get(i), root);
            }
            return root;
        }

        /** {@link #root()} as lower-case hex. */
        public String rootHex() {
            return HexFormat.of().formatHex(root());
        }
    }

    /**
     * One digest: the ledger sealed at a global index.
     *
     * @param sequence       1, 2, 3… in the order digests were taken
     * @param sealedUpTo     N: the digest covers global indexes 1 to N, every one of which held an event or a
     *                       tombstone when sealed
     * @param eventCount     events among them (the rest are tombstones)
     * @param merkleRoot     the Merkle root over slots 1…N, lower-case hex
     * @param headsRoot      the root over every stream's last event among slots 1…N, lower-case hex; {@code null}
     *                       for a digest taken before v2
     * @param previousDigest SHA-256 (hex) of the previous digest's canonical text, or 64 zeros for the first
     * @param createdAt      when it was taken, {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC
     * @param keyId          SHA-256 (hex) of the signing key's public key in X.509 SubjectPublicKeyInfo DER form
     * @param signature      Ed25519 signature of the canonical text, Base64; {@code null} before signing
     */
    public record Digest(long sequence, long sealedUpTo, long eventCount, String merkleRoot, String headsRoot,
                         String previousDigest, String createdAt, String keyId, String signature) {

        /**
         * The text the signature covers and the next digest's {@code previousDigest} hashes: one {@code name:value}
         * line per field, in this order, each ending in a line feed (also the last), UTF-8; a digest taken before v2
         * has the first line {@code ccm-ledger/digest/v1} and no {@code headsRoot} line:
         * <pre>
         * ccm-ledger/digest/v2
         * sequence:3
         * sealedUpTo:1200
         * eventCount:1187
         * merkleRoot:&lt;64 hex&gt;
         * headsRoot:&lt;64 hex&gt;
         * previousDigest:&lt;64 hex&gt;
         * createdAt:2026-01-27T10:00:00.000Z
         * keyId:&lt;64 hex&gt;
         * </pre>
         */
        public String canonicalText() {
            return (headsRoot == null ? DIGEST_VERSION : DIGEST_VERSION_2) + "\n"
                    + "sequence:" + sequence + "\n"
                    + "sealedUpTo:" + sealedUpTo + "\n"
                    + "eventCount:" + eventCount + "\n"
                    + "merkleRoot:" + merkleRoot + "\n"
                    + (headsRoot == null ? "" : "headsRoot:" + headsRoot + "\n")
                    + "previousDigest:" + previousDigest + "\n"
                    + "createdAt:" + createdAt + "\n"
                    + "keyId:" + keyId + "\n";
        }

        /** A digest as taken before v2: without a heads root. */
        public Digest(long sequence, long sealedUpTo, long eventCount, String merkleRoot, String previousDigest,
                      String createdAt, String keyId, String signature) {
            this(sequence, sealedUpTo, eventCount, merkleRoot, null, previousDigest, createdAt, keyId, signature);
        }

        /** SHA-256 (hex) of the canonical text: what the next digest names as {@code previousDigest}. */
        public String chainHash() {
            return sha256Hex(canonicalText().getBytes(StandardCharsets.UTF_8));
        }

        /** Whether every field has its documented shape (so that the canonical text is unambiguous). */
        public boolean wellFormed() {
            return sequence > 0 && sealedUpTo >= 0 && eventCount >= 0 && eventCount <= sealedUpTo
                    && matches(HEX64, merkleRoot) && (headsRoot == null || matches(HEX64, headsRoot))
                    && matches(HEX64, previousDigest) && matches(TIME, createdAt)
                    && matches(HEX64, keyId);
        }

        Digest withSignature(String signature) {
            return new Digest(sequence, sealedUpTo, eventCount, merkleRoot, headsRoot, previousDigest, createdAt,
                              keyId, signature);
        }
    }

    /**
     * The unsigned v1 digest (no heads root, as digests were taken before v2) that follows {@code previous} (or the
     * first one, when {@code previous} is {@code null}).
     */
    public static Digest next(Digest previous, long sealedUpTo, long eventCount, String merkleRoot,
                              Instant createdAt, String keyId) {
        return next(previous, sealedUpTo, eventCount, merkleRoot, null, createdAt, keyId);
    }

    /**
     * The unsigned digest that follows {@code previous}, sealing {@code headsRoot} too (a v2 digest, what the service
     * takes); with a {@code null} heads root a v1 digest.
     */
    public static Digest next(Digest previous, long sealedUpTo, long eventCount, String merkleRoot,
                              String headsRoot, Instant createdAt, String keyId) {
        return new Digest(previous == null ? 1 : previous.sequence() + 1, sealedUpTo, eventCount, merkleRoot,
                          headsRoot, previous == null ? NO_PREVIOUS_DIGEST : previous.chainHash(),
                          createdAt(createdAt), keyId, null);
    }

    /** The digest signed with Ed25519 over its canonical text. */
    public static Digest sign(Digest digest, PrivateKey key) {
        if (!digest.wellFormed()) {
            throw new IllegalArgumentException("a digest field does not have its documented form");
        }
        try {
            Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
            signer.initSign(key);
            signer.update(digest.canonicalText().getBytes(StandardCharsets.UTF_8));
            return digest.withSignature(Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an " + SIGNATURE_ALGORITHM + " key", e);
        }
    }

    /** Whether the digest's signature is a valid Ed25519 signature of its canonical text by {@code key}. */
    public static boolean signatureValid(Digest digest, PublicKey key) {
        if (digest.signature() == null) {
            return false;
        }
        try {
            byte[] signature = Base64.getDecoder().decode(digest.signature());
            Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
            verifier.initVerify(key);
            verifier.update(digest.canonicalText().getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (IllegalArgumentException | SignatureException | InvalidKeyException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(SIGNATURE_ALGORITHM + " is required by every Java 15+ runtime", e);
        }
    }

    /** The key id: SHA-256 (hex) of the public key's X.509 SubjectPublicKeyInfo DER encoding. */
    public static String keyId(PublicKey key) {
        return sha256Hex(key.getEncoded());
    }

    /** An instant as a digest's {@code createdAt}: UTC, milliseconds, always three fraction digits. */
    public static String createdAt(Instant instant) {
        return CREATED_AT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static boolean matches(Pattern pattern, String value) {
        return value != null && pattern.matcher(value).matches();
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(EventHash.sha256().digest(bytes));
    }
}
