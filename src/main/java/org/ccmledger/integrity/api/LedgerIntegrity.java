package org.ccmledger.integrity.api;

import java.util.List;
import java.util.Set;

/**
 * The ledger's integrity as the {@code /api/v1/ledger} endpoints show it, for the console's integrity page (a
 * platform auditor's). Blocking.
 */
public interface LedgerIntegrity {

    /** A digest: what it seals, when, with which key, and the exact text its signature covers. */
    record Digest(long sequence, long sealedUpTo, long eventCount, String merkleRoot, String previousDigest,
                  String createdAt, String keyId, String signature, String signedText) {
    }

    /** The key digests are signed with (PEM). */
    record PublicKey(String algorithm, String keyId, String pem) {
    }

    /**
     * The whole ledger checked: intact or where it first breaks (described only when the break is in one of the
     * caller's practices, as the endpoint does).
     */
    record Check(boolean intact, long eventsChecked, long highestIndex, long tombstones, long pending,
                 long sealedUpTo, String firstBreak) {
    }

    /** Hears how far a check has come: every global index up to {@code checkedUpTo}, {@code eventsChecked} events. */
    @FunctionalInterface
    interface Progress {
        void checked(long checkedUpTo, long eventsChecked);
    }

    /** The newest digests first, at most {@code limit}. */
    List<Digest> latestDigests(int limit);

    /** A digest by its sequence number. */
    Digest digest(long sequence);

    PublicKey publicKey();

    /**
     * Checks every event of the ledger; {@code progress} hears (checked up to, events checked) after each block and
     * may stop the check by throwing.
     */
    Check verify(Set<String> practices, Progress progress);
}
