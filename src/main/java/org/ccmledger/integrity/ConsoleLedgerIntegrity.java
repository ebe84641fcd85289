package org.ccmledger.integrity;

import java.util.List;
import java.util.Set;

import org.ccmledger.integrity.IntegrityViews.DigestView;
import org.ccmledger.integrity.IntegrityViews.Report;
import org.ccmledger.integrity.api.LedgerIntegrity;
import org.springframework.stereotype.Component;

/** {@link LedgerIntegrity} from the service the {@code /api/v1/ledger} endpoints use. */
@Component
class ConsoleLedgerIntegrity implements LedgerIntegrity {

    private final IntegrityService integrity;

    ConsoleLedgerIntegrity(IntegrityService integrity) {
        this.integrity = integrity;
    }

    @Override
    public List<Digest> latestDigests(int limit) {
        return integrity.digests(null, limit).digests().stream().map(ConsoleLedgerIntegrity::digest).toList();
    }

    @Override
    public Digest digest(long sequence) {
        return digest(integrity.digest(sequence));
    }

    @Override
    public PublicKey publicKey() {
        IntegrityViews.PublicKeyView key = integrity.publicKey();
        return new PublicKey(key.algorithm(), key.keyId(), key.publicKeyPem());
    }

    @Override
    public Check verify(Set<String> practices, Progress progress) {
        Report report = integrity.verifyLedger(progress::checked).visibleTo(practices);
        String firstBreak = report.firstBreak() == null ? null
                : "global index " + report.firstBreak().globalIndex()
                  + (report.firstBreak().streamKey() == null ? "" : ", stream " + report.firstBreak().streamKey())
                  + ": " + report.firstBreak().problem();
        return new Check(report.intact(), report.eventsChecked(), report.highestIndex(), report.tombstones(),
                         report.pending(), report.sealedUpTo(), firstBreak);
    }

    private static Digest digest(DigestView d) {
        return new Digest(d.sequence(), d.sealedUpTo(), d.eventCount(), d.merkleRoot(), d.previousDigest(),
                          d.createdAt(), d.keyId(), d.signature(), d.signedText());
    }
}
