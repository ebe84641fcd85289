package org.ccmledger.integrity;

import java.util.List;
import java.util.Set;

import org.ccmledger.ledger.LedgerDigests.Digest;
import org.ccmledger.ledger.LedgerVerifier;

/** What the integrity endpoints answer, as JSON. */
final class IntegrityViews {

    private IntegrityViews() {
    }

    /** One line of the streamed ledger verification: a progress line or the final report. */
    sealed interface VerificationLine permits Progress, Report {
    }

    /** Every global index up to {@code checkedUpTo} is checked; {@code eventsChecked} events so far. */
    // one name per schema in the OpenAPI document: another class is called Progress too
    @io.swagger.v3.oas.annotations.media.Schema(name = "LedgerVerificationProgress")
    record Progress(String type, long checkedUpTo, long eventsChecked) implements VerificationLine {
        static Progress of(long checkedUpTo, long eventsChecked) {
            return new Progress("progress", checkedUpTo, eventsChecked);
        }
    }

    /**
     * The ledger's verification.
     *
     * @param intact        no break found
     * @param eventsChecked events read and checked
     * @param highestIndex  the highest global index reserved when the check started
     * @param tombstones    slots held by tombstones (commits that failed)
     * @param pending       empty slots younger than the gap timeout and above every digest: commits in flight
     * @param sealedUpTo    the highest global index the latest digest sealed; an empty slot at or below it is missing
     *                      whatever its age
     * @param firstBreak    the first break, or {@code null}
     */
    // one name per schema in the OpenAPI document: another class is called Report too
    @io.swagger.v3.oas.annotations.media.Schema(name = "LedgerVerificationReport")
    record Report(String type, boolean intact, long eventsChecked, long highestIndex, long tombstones, long pending,
                  long sealedUpTo, LedgerVerifier.Break firstBreak) implements VerificationLine {
        static Report of(LedgerVerifier.Report report, long sealedUpTo) {
            return new Report("report", report.intact(), report.eventsChecked(), report.highestIndex(),
                              report.tombstones(), report.pending(), sealedUpTo, report.firstBreak());
        }

        /** The report as a caller acting for {@code practices} may see it ({@link #visible}). */
        Report visibleTo(Set<String> practices) {
            return new Report(type, intact, eventsChecked, highestIndex, tombstones, pending, sealedUpTo,
                              visible(firstBreak, practices));
        }
    }

    /** One event stream's verification: its chain from its first event to its last. */
    record StreamReport(String stream, boolean intact, long eventsChecked, LedgerVerifier.Break firstBreak) {
    }

    /** A patient's streams: enrollment, care plan and the billing months asked for. */
    record PatientVerification(String practiceId, String patientId, boolean intact, List<StreamReport> streams) {
    }

    /**
     * A digest as stored, and the exact text its signature covers.
     *
     * @param signedText the canonical text ({@code LedgerDigests.Digest#canonicalText}); an auditor rebuilds it from
     *                   the other fields rather than trusting this copy
     */
    record DigestView(long sequence, long sealedUpTo, long eventCount, String merkleRoot, String headsRoot,
                      String previousDigest, String createdAt, String keyId, String signature, String signedText) {
        static DigestView of(Digest d) {
            return new DigestView(d.sequence(), d.sealedUpTo(), d.eventCount(), d.merkleRoot(), d.headsRoot(),
                                  d.previousDigest(), d.createdAt(), d.keyId(), d.signature(), d.canonicalText());
        }
    }

    /** A page of digests, newest first; {@code nextCursor} lists the older ones, {@code null} after the first. */
    record DigestPage(List<DigestView> digests, Long nextCursor) {
    }

    /** The key digests are signed with. */
    record PublicKeyView(String algorithm, String keyId, String publicKeyPem) {
    }

    /** What can be wrong with a digest. */
    enum DigestProblem {
        /** A field does not have its documented form. */
        MALFORMED_RECORD,
        /** Signed by a key other than the service's current one: verify it with that key yourself. */
        UNKNOWN_KEY,
        /** The signature does not verify: the record was changed after it was signed. */
        SIGNATURE_INVALID,
        /** The previous digest (sequence − 1) is gone. */
        PREVIOUS_DIGEST_MISSING,
        /** {@code previousDigest} is not the hash of the previous digest's canonical text. */
        PREVIOUS_DIGEST_MISMATCH,
        /** The next digest does not name this one's hash: this record or the next was replaced. */
        NEXT_DIGEST_MISMATCH,
        /** A slot the digest sealed holds no document now: an event was deleted. */
        SEALED_SLOT_EMPTY,
        /** The Merkle root over today's slots 1…N differs from the sealed one: some slot changed. */
        MERKLE_ROOT_MISMATCH,
        /** Today's slots 1…N hold another number of events. */
        EVENT_COUNT_MISMATCH,
        /** Some stream ends elsewhere, or with other content, than where the digest sealed its head (v2 digests). */
        HEADS_ROOT_MISMATCH
    }

    /**
     * A digest checked against today's ledger.
     *
     * @param valid        signature, chain, root and count all hold
     * @param problems     what does not hold, in the order checked
     * @param signature    the key and the signature
     * @param chain        the links to the previous and next digest
     * @param merkleRoot   sealed and recomputed
     * @param eventCount   sealed and recomputed
     * @param headsRoot    sealed and recomputed; {@code null} for a digest taken before heads were sealed (v1)
     * @param localisation where the change is, when the root or count differs
     */
    record DigestVerification(long sequence, long sealedUpTo, boolean valid, List<DigestProblem> problems,
                              SignatureCheck signature, ChainCheck chain, Comparison merkleRoot,
                              Comparison eventCount, Comparison headsRoot, Localisation localisation) {

        /** The verification as a caller acting for {@code practices} may see it ({@link #visible}). */
        DigestVerification visibleTo(Set<String> practices) {
            if (localisation == null) {
                return this;
            }
            return new DigestVerification(sequence, sealedUpTo, valid, problems, signature, chain, merkleRoot,
                                          eventCount, headsRoot,
                                          new Localisation(localisation.firstEmptySlot(), localisation.unchangedUpTo(),
                                                           localisation.unchangedDigest(),
                                                           visible(localisation.firstBreak(), practices),
                                                           visible(localisation.firstChange(), practices)));
        }
    }

    /**
     * A break as a caller acting for {@code practices} may see it: its stream key names a practice and a patient, so
     * it is shown only for a stream of one of those practices; its global index and problem always are.
     */
    static LedgerVerifier.Break visible(LedgerVerifier.Break brk, Set<String> practices) {
        if (brk == null || brk.streamKey() == null
                || practices.stream().anyMatch(p -> brk.streamKey().startsWith("a:" + p + "/"))) {
            return brk;
        }
        return new LedgerVerifier.Break(brk.globalIndex(), null, brk.problem());
    }

    /** {@code keyKnown}: the digest names the service's current key. */
    record SignatureCheck(String keyId, boolean keyKnown, boolean valid) {
    }

    /** {@code nextValid} is {@code null} for the latest digest. */
    record ChainCheck(boolean previousValid, Boolean nextValid) {
    }

    record Comparison(Object recorded, Object recomputed, boolean match) {
    }

    /**
     * Where a changed ledger differs from what the digest sealed.
     *
     * @param firstEmptySlot  the first slot at or below N that holds no document now, or {@code null}
     * @param unchangedUpTo   the highest N of an earlier, validly signed digest whose root still matches: slots 1 to
     *                        it are as sealed, the change lies above it ({@code 0} when no earlier digest matches)
     * @param unchangedDigest that earlier digest's sequence number, or {@code null}
     * @param firstBreak      the ledger verification's first break at or below N (a changed event whose stored hash
     *                        or chain no longer matches), or {@code null} when every chain still holds (the changed
     *                        events were re-hashed and re-chained)
     * @param firstChange     the first slot at or below N whose content differs from the leaf the digest sealed
     *                        ({@code SEALED_CONTENT_CHANGED}), found with the leaves kept when the digests were taken
     *                        once their root proves them the sealed ones, re-chained or not; {@code null} when those
     *                        leaves are missing or were changed too
     */
    record Localisation(Long firstEmptySlot, long unchangedUpTo, Long unchangedDigest,
                        LedgerVerifier.Break firstBreak, LedgerVerifier.Break firstChange) {
    }
}
