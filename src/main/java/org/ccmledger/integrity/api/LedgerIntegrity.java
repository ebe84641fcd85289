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

    /** One stream of a patient checked: its chain from its first event to its last, and where it first breaks. */
    record PatientStreamCheck(String stream, boolean intact, long eventsChecked, String firstBreak) {
    }

    /** A patient's streams checked, as {@code GET …/patients/{patientId}/verification} reports them. */
    record PatientCheck(String practiceId, String patientId, boolean intact, List<PatientStreamCheck> streams) {
    }

    /**
     * A digest checked, as {@code GET /api/v1/ledger/digests/{sequence}/verification} reports it: its signature, its
     * chain to its neighbours, and its Merkle root, heads root and event count recomputed from the ledger.
     */
    record DigestCheck(long sequence, long sealedUpTo, boolean valid, List<String> problems, String keyId,
                       boolean signatureValid, boolean previousValid, Boolean nextValid, boolean merkleRootMatches,
                       boolean eventCountMatches, boolean headsRootMatches, String where) {
    }

    /**
     * Checks a patient's streams; {@code months} as the API takes it ({@code yyyy-MM,…}, blank: none), refused as
     * there when malformed.
     */
    PatientCheck verifyPatient(String practiceId, String patientId, String months);

    /** Checks one digest, the localisation of a change described only within the caller's practices. */
    DigestCheck verifyDigest(Set<String> practices, long sequence);
}
