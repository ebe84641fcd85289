package org.ccmledger.integrity;

import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.identity.api.IdentityId;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.integrity.IntegrityViews.ChainCheck;
import org.ccmledger.integrity.IntegrityViews.Comparison;
import org.ccmledger.integrity.IntegrityViews.DigestPage;
import org.ccmledger.integrity.IntegrityViews.DigestProblem;
import org.ccmledger.integrity.IntegrityViews.DigestVerification;
import org.ccmledger.integrity.IntegrityViews.DigestView;
import org.ccmledger.integrity.IntegrityViews.Localisation;
import org.ccmledger.integrity.IntegrityViews.PatientVerification;
import org.ccmledger.integrity.IntegrityViews.PublicKeyView;
import org.ccmledger.integrity.IntegrityViews.Report;
import org.ccmledger.integrity.IntegrityViews.SignatureCheck;
import org.ccmledger.integrity.IntegrityViews.StreamReport;
import org.ccmledger.ledger.LedgerDigestLog;
import org.ccmledger.ledger.LedgerDigests;
import org.ccmledger.ledger.LedgerDigests.Digest;
import org.ccmledger.ledger.LedgerSealer;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.SealedRecord;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Service;

/**
 * Verifies the ledger and takes, lists and checks its digests. Everything here blocks (the MongoDB driver): callers
 * on the event loop move it to a blocking scheduler.
 */
@Service
class IntegrityService {

    private final LedgerVerifier verifier;
    private final LedgerSealer sealer;
    private final LedgerDigestLog digests;
    private final SealedRecord sealedRecord;
    private final SigningKey key;
    private final Clock clock = Clock.systemUTC();
    /** CCM was first billable in January 2015: no billing month of a patient lies before it. */
    private static final YearMonth FIRST_CCM_MONTH = YearMonth.of(2015, 1);
    private final Object sealing = new Object();

    IntegrityService(LedgerVerifier verifier, LedgerSealer sealer, LedgerDigestLog digests, SealedRecord sealedRecord,
                     SigningKey key) {
        this.verifier = verifier;
        this.sealer = sealer;
        this.digests = digests;
        this.sealedRecord = sealedRecord;
        this.key = key;
    }

    /** Verifies the whole ledger, see {@link #verifyLedger(LedgerVerifier.Progress)}. */
    Report verifyLedger() {
        return verifyLedger(LedgerVerifier.Progress.NONE);
    }

    /**
     * Verifies the whole ledger; an empty slot that the latest digest sealed is reported missing at once, without
     * waiting for the gap timeout.
     */
    Report verifyLedger(LedgerVerifier.Progress progress) {
        long sealedUpTo = latestOrNone().map(Digest::sealedUpTo).orElse(0L);
        return Report.of(verifier.verifyLedger(sealedUpTo, progress), sealedUpTo);
    }

    /**
     * Verifies a patient's streams, each against its head record and, once sealed, against the head a digest sealed:
     * the enrollment, the care plan, the identity record when there is one, every billing month the ledger holds a head
     * for, and the billing month of each of {@code months} (for months billed before heads were kept). A patient
     * without any enrollment event is unknown (404).
     */
    PatientVerification verifyPatient(EnrollmentId patient, List<YearMonth> months) {
        List<String> streams = new ArrayList<>(List.of(patient.toString(), new CarePlanId(patient).toString()));
        // the identity record, sealed: its hashes verify whether or not its key still exists
        verifier.recorded(List.of(new IdentityId(patient).toString())).forEach(streams::add);
        months.forEach(month -> streams.add(new BillingMonthId(patient, month).toString()));
        // every billing month the ledger holds a head for, so a deleted statement or adjustment is found unasked
        List<String> billed = new ArrayList<>();
        for (YearMonth month = FIRST_CCM_MONTH; !month.isAfter(YearMonth.now(clock).plusMonths(1));
             month = month.plusMonths(1)) {
            billed.add(new BillingMonthId(patient, month).toString());
        }
        verifier.recorded(billed).stream().filter(stream -> !streams.contains(stream)).forEach(streams::add);
        List<StreamReport> reports = new ArrayList<>();
        for (String stream : streams) {
            LedgerVerifier.Report report = verifier.verifyAggregate(stream);
            reports.add(new StreamReport(stream, report.intact(), report.eventsChecked(), report.firstBreak()));
        }
        if (reports.get(0).eventsChecked() == 0) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
        return new PatientVerification(patient.practiceId().value(), patient.patientId().value(),
                                       reports.stream().allMatch(StreamReport::intact), reports);
    }

    /** Seals everything sealable now with a new digest, even when nothing was appended since the last one. */
    Digest seal() {
        synchronized (sealing) {
            return append(sealer.sealable(nextSlotToSeal()));
        }
    }

    /** The first slot a new digest adds: the one after the latest digest's N. */
    private long nextSlotToSeal() {
        return latest().map(Digest::sealedUpTo).orElse(0L) + 1;
    }

    private Optional<Digest> latest() {
        try {
            return digests.latest();
        } catch (IllegalStateException digestGone) {
            throw Refusal.conflict("DIGEST_MISSING", "the latest ledger digest is missing: no digest can be chained "
                    + "to it");
        }
    }

    /** Seals with a new digest when the ledger has slots no digest sealed yet (the schedule). */
    Optional<Digest> sealIfLedgerGrew() {
        synchronized (sealing) {
            // the latest first: slots only ever fill, so a seal taken after it reaches at least as far
            Optional<Digest> latest = latest();
            LedgerSealer.Seal seal = sealer.sealable(latest.map(Digest::sealedUpTo).orElse(0L) + 1);
            if (latest.isPresent()) {
                refuseIfShrunk(latest.get(), seal);
            }
            if (seal.sealedUpTo() <= latest.map(Digest::sealedUpTo).orElse(0L)) {
                return Optional.empty();
            }
            return Optional.of(append(seal));
        }
    }

    /**
     * Appends the digest of {@code sealed} (taken again when another instance sealed meanwhile), then keeps the leaves
     * of the slots it adds and the heads of the streams that grew ({@link SealedRecord}).
     */
    private Digest append(LedgerSealer.Seal sealed) {
        latest(); // the latest digest must exist to chain onto: a Refusal when it is gone
        LedgerSealer.Seal[] used = {sealed};
        long[] firstSlot = {0};
        Digest digest = digests.append(previous -> {
            long first = previous == null ? 1 : previous.sealedUpTo() + 1;
            LedgerSealer.Seal seal = sealed;
            if (previous != null && seal.sealedUpTo() < previous.sealedUpTo()
                || seal.leaves().length != 32 * Math.max(0, seal.sealedUpTo() - first + 1)) {
                // another instance may have sealed further meanwhile: look again before calling it a deletion
                seal = sealer.sealable(first);
                if (previous != null) {
                    refuseIfShrunk(previous, seal);
                }
            }
            used[0] = seal;
            firstSlot[0] = first;
            return LedgerDigests.sign(LedgerDigests.next(previous, seal.sealedUpTo(), seal.eventCount(),
                                                         seal.merkleRoot(), seal.headsRoot(), clock.instant(),
                                                         key.keyId()),
                                      key.privateKey());
        });
        sealedRecord.keep(digest, firstSlot[0], used[0].leaves(), used[0].heads().values());
        return digest;
    }

    /** A slot an earlier digest sealed held a document then; an empty one now was deleted. */
    private static void refuseIfShrunk(Digest previous, LedgerSealer.Seal seal) {
        if (seal.sealedUpTo() < previous.sealedUpTo()) {
            throw Refusal.conflict("SEALED_SLOT_EMPTY", "global index " + seal.firstEmptySlot() + ", sealed by "
                    + "digest " + previous.sequence() + ", holds no event or tombstone: the ledger was changed");
        }
    }

    /** Up to {@code limit} digests from {@code cursor} (a sequence number; the latest when null) down, newest first. */
    DigestPage digests(Long cursor, int limit) {
        long from = cursor != null ? cursor : digests.highestSequence();
        List<DigestView> page = digests.newestFirst(from, limit).stream().map(DigestView::of).toList();
        long next = from - limit;
        return new DigestPage(page, next >= 1 ? next : null);
    }

    DigestView digest(long sequence) {
        return DigestView.of(find(sequence));
    }

    /**
     * Checks a digest: its signature with the service's key, its links to the previous and next digest, and the Merkle
     * root and event count recomputed over today's slots 1…N. When they differ it localises the change as far as
     * it can (see {@link Localisation}).
     */
    DigestVerification verify(long sequence) {
        Digest digest = find(sequence);
        List<DigestProblem> problems = new ArrayList<>();
        if (!digest.wellFormed()) {
            problems.add(DigestProblem.MALFORMED_RECORD);
        }
        boolean keyKnown = key.keyId().equals(digest.keyId());
        boolean signatureValid = keyKnown && LedgerDigests.signatureValid(digest, key.publicKey());
        if (!keyKnown) {
            problems.add(DigestProblem.UNKNOWN_KEY);
        } else if (!signatureValid) {
            problems.add(DigestProblem.SIGNATURE_INVALID);
        }

        ChainCheck chain = chain(digest, problems);

        List<Digest> earlier = digest.sealedUpTo() > 0 ? digests.before(sequence).stream()
                .filter(d -> key.keyId().equals(d.keyId()) && LedgerDigests.signatureValid(d, key.publicKey()))
                .toList() : List.of();
        LedgerSealer.Seal today = sealer.recompute(digest.sealedUpTo(),
                                                   earlier.stream().map(Digest::sealedUpTo).toList());
        boolean complete = today.firstEmptySlot() == 0;
        if (!complete) {
            problems.add(DigestProblem.SEALED_SLOT_EMPTY);
        }
        Comparison root = new Comparison(digest.merkleRoot(), today.merkleRoot(),
                                         complete && today.merkleRoot().equals(digest.merkleRoot()));
        if (complete && !root.match()) {
            problems.add(DigestProblem.MERKLE_ROOT_MISMATCH);
        }
        Comparison count = new Comparison(digest.eventCount(), today.eventCount(),
                                          complete && today.eventCount() == digest.eventCount());
        if (complete && !count.match()) {
            problems.add(DigestProblem.EVENT_COUNT_MISMATCH);
        }
        Comparison heads = digest.headsRoot() == null ? null
                : new Comparison(digest.headsRoot(), today.headsRoot(),
                                 complete && digest.headsRoot().equals(today.headsRoot()));
        if (heads != null && complete && !heads.match()) {
            problems.add(DigestProblem.HEADS_ROOT_MISMATCH);
        }
        Localisation localisation = root.match() ? null : localise(digest, today, earlier);
        return new DigestVerification(digest.sequence(), digest.sealedUpTo(), problems.isEmpty(), problems,
                                      new SignatureCheck(digest.keyId(), keyKnown, signatureValid), chain, root,
                                      count, heads, localisation);
    }

    private ChainCheck chain(Digest digest, List<DigestProblem> problems) {
        boolean previousValid;
        if (digest.sequence() == 1) {
            previousValid = LedgerDigests.NO_PREVIOUS_DIGEST.equals(digest.previousDigest());
            if (!previousValid) {
                problems.add(DigestProblem.PREVIOUS_DIGEST_MISMATCH);
            }
        } else {
            Optional<Digest> previous = digests.find(digest.sequence() - 1);
            previousValid = previous.isPresent() && previous.get().chainHash().equals(digest.previousDigest());
            if (previous.isEmpty()) {
                problems.add(DigestProblem.PREVIOUS_DIGEST_MISSING);
            } else if (!previousValid) {
                problems.add(DigestProblem.PREVIOUS_DIGEST_MISMATCH);
            }
        }
        Boolean nextValid = digests.find(digest.sequence() + 1)
                                   .map(next -> next.previousDigest().equals(digest.chainHash())).orElse(null);
        if (Boolean.FALSE.equals(nextValid)) {
            problems.add(DigestProblem.NEXT_DIGEST_MISMATCH);
        }
        return new ChainCheck(previousValid, nextValid);
    }

    private Localisation localise(Digest digest, LedgerSealer.Seal today, List<Digest> earlier) {
        Digest unchanged = earlier.stream()
                                  .filter(d -> d.merkleRoot().equals(today.rootsAt().get(d.sealedUpTo())))
                                  .max(Comparator.comparingLong(Digest::sealedUpTo)
                                                 .thenComparingLong(Digest::sequence))
                                  .orElse(null);
        LedgerVerifier.Break firstBreak = verifier.verifyUpTo(digest.sealedUpTo()).firstBreak();
        List<Digest> upTo = new ArrayList<>(digests.before(digest.sequence()));
        upTo.add(digest);
        LedgerVerifier.Break firstChange = sealedRecord.locate(upTo, sealer).orElse(null);
        return new Localisation(today.firstEmptySlot() == 0 ? null : today.firstEmptySlot(),
                                unchanged == null ? 0 : unchanged.sealedUpTo(),
                                unchanged == null ? null : unchanged.sequence(), firstBreak, firstChange);
    }

    PublicKeyView publicKey() {
        return new PublicKeyView(LedgerDigests.SIGNATURE_ALGORITHM, key.keyId(), key.publicKeyPem());
    }

    private Digest find(long sequence) {
        return digests.find(sequence)
                      .orElseThrow(() -> Refusal.notFound("UNKNOWN_DIGEST", "no ledger digest with this sequence"));
    }

    private Optional<Digest> latestOrNone() {
        try {
            return digests.latest();
        } catch (IllegalStateException digestGone) {
            return Optional.empty();
        }
    }
}
