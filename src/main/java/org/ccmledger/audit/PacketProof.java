package org.ccmledger.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ccmledger.audit.AuditPacket.StreamCheck;
import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.CountedEvent;
import org.ccmledger.ledger.LedgerDigestLog;
import org.ccmledger.ledger.LedgerDigests;
import org.ccmledger.ledger.LedgerLookup;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.StoredEvent;

/**
 * The audit packet's integrity proof: the hash chains of the streams it cites with each one's last hash, the events
 * the statement and adjustments cite, the first signed digest that seals them, and how to check it all. Blocking.
 */
final class PacketProof {

    private final LedgerLookup lookup;
    private final LedgerVerifier verifier;
    private final LedgerDigestLog digests;

    PacketProof(LedgerLookup lookup, LedgerVerifier verifier, LedgerDigestLog digests) {
        this.lookup = lookup;
        this.verifier = verifier;
        this.digests = digests;
    }

    AuditPacket.Integrity integrity(List<List<StoredEvent>> streams, List<String> names,
                                            BillingStatementIssued statement,
                                            List<BillingAdjustmentIssued> adjustments) {
        List<StreamCheck> checks = new ArrayList<>();
        long highest = 0;
        for (int i = 0; i < names.size(); i++) {
            LedgerVerifier.Report report = verifier.verifyAggregate(names.get(i));
            List<StoredEvent> events = streams.get(i);
            StoredEvent last = events.isEmpty() ? null : events.get(events.size() - 1);
            highest = Math.max(highest, last == null ? 0 : last.globalIndex());
            checks.add(new StreamCheck(names.get(i), report.eventsChecked(), report.intact(),
                                       report.intact() ? null : report.firstBreak().problem() + " at global index "
                                                                + report.firstBreak().globalIndex(),
                                       last == null ? null : last.globalIndex(), last == null ? null : last.hash()));
        }
        List<CountedEvent> cited = new ArrayList<>();
        if (statement != null) {
            cited.addAll(statement.eventsCounted());
        }
        adjustments.forEach(a -> cited.addAll(a.eventsCounted()));
        checks.add(evidence(cited));
        AuditPacket.SealingDigest sealedBy = sealing(highest);
        List<String> how = new ArrayList<>(List.of(
                "Each event's hash is SHA-256 over its canonical form and the previous event's hash in its stream "
                + "(docs/ledger.md, \"The hash chain\"); the last hash of each stream is listed above.",
                "GET /api/v1/practices/{practiceId}/patients/{patientId}/verification recomputes every stream of "
                + "the patient against its head and the head the last digest sealed."));
        if (sealedBy != null) {
            how.add("Digest " + sealedBy.sequence() + " seals global indexes 1 to " + sealedBy.sealedUpTo()
                    + ": check its Ed25519 signature with the public key (GET /api/v1/ledger/public-key, key id "
                    + sealedBy.keyId() + ") and its Merkle root with GET /api/v1/ledger/digests/"
                    + sealedBy.sequence() + "/verification, or offline as docs/ledger.md shows.");
        } else {
            how.add("No digest seals these events yet: the next scheduled digest will, and a later packet names it.");
        }
        return new AuditPacket.Integrity(checks.stream().allMatch(StreamCheck::intact), checks, sealedBy, how);
    }

    /** The first digest whose sealed range reaches {@code globalIndex}: a binary search over the digest log. */
    private AuditPacket.SealingDigest sealing(long globalIndex) {
        long lo = 1;
        long hi = digests.highestSequence();
        LedgerDigests.Digest found = null;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            LedgerDigests.Digest digest = digests.find(mid).orElse(null);
            if (digest == null) {
                break;
            }
            if (digest.sealedUpTo() >= globalIndex) {
                found = digest;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found == null ? null : new AuditPacket.SealingDigest(found.sequence(), found.sealedUpTo(),
                                                                    found.merkleRoot(), found.createdAt(),
                                                                    found.keyId());
    }

    /** Each event the statement and adjustments counted: still in the ledger, with the hash recorded then. */
    private StreamCheck evidence(List<CountedEvent> cited) {
        Map<String, StoredEvent> stored = lookup.find(
                cited.stream().map(c -> StoredEvent.streamKey(c.aggregateId(), c.sequence())).distinct().toList());
        String name = "evidence cited by the statement and adjustments";
        for (CountedEvent c : cited) {
            StoredEvent now = stored.get(StoredEvent.streamKey(c.aggregateId(), c.sequence()));
            if (now == null || !c.hash().equals(now.hash()) || !now.hashMatches()) {
                return new StreamCheck(name, cited.size(), false,
                                       "event " + c.eventId() + (now == null ? " missing"
                                               : " no longer has the hash recorded when it was billed"), null, null);
            }
        }
        return new StreamCheck(name, cited.size(), true, null, null, null);
    }

}
