package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.ccmledger.ledger.LedgerDigests.Digest;
import org.ccmledger.ledger.LedgerDigests.MerkleRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The digest formats of docs/ledger.md, "Digests: sealing the ledger", pinned down. */
class LedgerDigestsTest {

    private static final String ROOT = "0".repeat(63) + "1";
    private static final String KEY_ID = "ab".repeat(32);

    @Test
    @DisplayName("The Merkle root is RFC 6962's Merkle Tree Hash (split at the largest power of two) for 0 to 70 leaves")
    void theRootIsRfc6962sTreeHash() {
        List<byte[]> leaves = new ArrayList<>();
        MerkleRoot testSubject = new MerkleRoot();
        assertThat(testSubject.root()).isEqualTo(sha256(new byte[0]));
        for (int n = 1; n <= 70; n++) {
            byte[] leaf = LedgerDigests.eventLeaf(n, Integer.toHexString(n));
            leaves.add(leaf);
            testSubject.add(leaf);

            assertThat(testSubject.root()).as("root of %d leaves", n).isEqualTo(rfc6962(leaves));
            assertThat(testSubject.size()).isEqualTo(n);
        }
    }

    @Test
    @DisplayName("Golden vector: an event, a tombstone and an event give the root an independent Python computed")
    void aFixedLedgerHasAFixedRoot() {
        MerkleRoot testSubject = new MerkleRoot();
        testSubject.add(LedgerDigests.eventLeaf(1, "1".repeat(64)));
        testSubject.add(LedgerDigests.tombstoneLeaf(2));
        testSubject.add(LedgerDigests.eventLeaf(3, "3".repeat(64)));

        assertThat(testSubject.rootHex())
                .isEqualTo("0fef853891a3ef84381b509a43ae21682ecce13e35920497f2c1c0b3b37ab0f8");
    }

    @Test
    @DisplayName("An odd last node is promoted, not duplicated: three leaves never share a root with the fourth repeated")
    void anOddLastNodeIsPromoted() {
        byte[] a = LedgerDigests.eventLeaf(1, "a");
        byte[] b = LedgerDigests.eventLeaf(2, "b");
        byte[] c = LedgerDigests.eventLeaf(3, "c");
        MerkleRoot three = new MerkleRoot();
        List.of(a, b, c).forEach(three::add);
        MerkleRoot duplicated = new MerkleRoot();
        List.of(a, b, c, c).forEach(duplicated::add);

        assertThat(three.root()).isEqualTo(LedgerDigests.node(LedgerDigests.node(a, b), c));
        assertThat(three.root()).isNotEqualTo(duplicated.root());
    }

    @Test
    @DisplayName("A leaf names its global index and prefix 0x00: the same hash at another index is another leaf")
    void aLeafNamesItsIndex() {
        byte[] expected = sha256(("\0ccm-ledger/leaf/v1|7|" + "c".repeat(64)).getBytes(StandardCharsets.UTF_8));

        assertThat(LedgerDigests.eventLeaf(7, "c".repeat(64))).isEqualTo(expected);
        assertThat(LedgerDigests.eventLeaf(8, "c".repeat(64))).isNotEqualTo(expected);
        assertThat(LedgerDigests.tombstoneLeaf(7))
                .isEqualTo(sha256("\0ccm-ledger/leaf/v1|7|tombstone".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @DisplayName("The canonical text is the documented name:value lines, each ending in a line feed")
    void theCanonicalTextIsTheDocumentedLines() {
        Digest digest = new Digest(3, 1200, 1187, ROOT, "f".repeat(64), "2026-01-27T10:00:00.000Z", KEY_ID, null);

        assertThat(digest.canonicalText()).isEqualTo("ccm-ledger/digest/v1\n"
                                                             + "sequence:3\n"
                                                             + "sealedUpTo:1200\n"
                                                             + "eventCount:1187\n"
                                                             + "merkleRoot:" + ROOT + "\n"
                                                             + "previousDigest:" + "f".repeat(64) + "\n"
                                                             + "createdAt:2026-01-27T10:00:00.000Z\n"
                                                             + "keyId:" + KEY_ID + "\n");
    }

    @Test
    @DisplayName("createdAt is UTC with exactly three fraction digits, also on a whole second")
    void createdAtAlwaysHasMilliseconds() {
        assertThat(LedgerDigests.createdAt(Instant.parse("2026-01-27T10:00:00Z"))).isEqualTo("2026-01-27T10:00:00.000Z");
        assertThat(LedgerDigests.createdAt(Instant.parse("2026-01-27T10:00:00.123456Z")))
                .isEqualTo("2026-01-27T10:00:00.123Z");
    }

    @Test
    @DisplayName("Digests chain: each names the SHA-256 of the previous one's canonical text; the first names zeros")
    void digestsChain() throws Exception {
        KeyPair key = ed25519();
        Digest first = LedgerDigests.sign(LedgerDigests.next(null, 5, 4, ROOT, Instant.now(), KEY_ID),
                                          key.getPrivate());
        Digest second = LedgerDigests.next(first, 9, 8, ROOT, Instant.now(), KEY_ID);

        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.previousDigest()).isEqualTo("0".repeat(64));
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(second.previousDigest())
                .isEqualTo(HexFormat.of().formatHex(sha256(first.canonicalText().getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    @DisplayName("A signed digest verifies with its key, not with another, and a forged root fails its signature")
    void aForgedDigestFailsItsSignature() throws Exception {
        KeyPair key = ed25519();
        Digest signed = LedgerDigests.sign(LedgerDigests.next(null, 5, 4, ROOT, Instant.now(),
                                                              LedgerDigests.keyId(key.getPublic())),
                                           key.getPrivate());
        Digest forged = new Digest(signed.sequence(), signed.sealedUpTo(), signed.eventCount(), "2".repeat(64),
                                   signed.previousDigest(), signed.createdAt(), signed.keyId(), signed.signature());

        assertThat(LedgerDigests.signatureValid(signed, key.getPublic())).isTrue();
        assertThat(LedgerDigests.signatureValid(signed, ed25519().getPublic())).isFalse();
        assertThat(LedgerDigests.signatureValid(forged, key.getPublic())).isFalse();
        assertThat(LedgerDigests.signatureValid(signed.withSignature("not base64!"), key.getPublic())).isFalse();
    }

    @Test
    @DisplayName("A digest whose fields are not of the documented form is never signed")
    void aMalformedDigestIsNotSigned() throws Exception {
        Digest malformed = new Digest(1, 5, 4, "ROOT\nsequence:9", "0".repeat(64), "2026-01-27T10:00:00.000Z",
                                      KEY_ID, null);

        assertThatThrownBy(() -> LedgerDigests.sign(malformed, ed25519().getPrivate()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("The key id is the SHA-256 of the public key's X.509 DER form")
    void theKeyIdIsTheHashOfThePublicKey() throws Exception {
        KeyPair key = ed25519();

        assertThat(LedgerDigests.keyId(key.getPublic()))
                .isEqualTo(HexFormat.of().formatHex(sha256(key.getPublic().getEncoded())));
    }

    /** RFC 6962 §2.1, written down as the RFC states it, independent of the incremental algorithm. */
    private static byte[] rfc6962(List<byte[]> leaves) {
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        byte[] left = rfc6962(leaves.subList(0, k));
        byte[] right = rfc6962(leaves.subList(k, leaves.size()));
        byte[] input = new byte[65];
        input[0] = 1;
        System.arraycopy(left, 0, input, 1, 32);
        System.arraycopy(right, 0, input, 33, 32);
        return sha256(input);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }
}
