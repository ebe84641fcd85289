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

    @Override
    public PatientCheck verifyPatient(String practiceId, String patientId, String months) {
        IntegrityViews.PatientVerification v = integrity.verifyPatient(
                org.ccmledger.patient.EnrollmentId.of(practiceId, patientId), IntegrityController.months(months));
        return new PatientCheck(v.practiceId(), v.patientId(), v.intact(), v.streams().stream()
                .map(r -> new PatientStreamCheck(r.stream(), r.intact(), r.eventsChecked(),
                                          r.firstBreak() == null ? null : described(r.firstBreak())))
                .toList());
    }

    @Override
    public DigestCheck verifyDigest(Set<String> practices, long sequence) {
        IntegrityViews.DigestVerification v = integrity.verify(sequence).visibleTo(practices);
        IntegrityViews.Localisation at = v.localisation();
        String where = at == null ? null
                : "unchanged up to global index " + at.unchangedUpTo()
                  + (at.firstBreak() == null ? "" : "; first break: " + described(at.firstBreak()))
                  + (at.firstChange() == null ? "" : "; first change: " + described(at.firstChange()));
        return new DigestCheck(v.sequence(), v.sealedUpTo(), v.valid(),
                               v.problems().stream().map(Enum::name).toList(), v.signature().keyId(),
                               v.signature().valid(), v.chain().previousValid(), v.chain().nextValid(),
                               v.merkleRoot().match(), v.eventCount().match(), v.headsRoot().match(), where);
    }

    private static String described(org.ccmledger.ledger.LedgerVerifier.Break b) {
        return "global index " + b.globalIndex() + (b.streamKey() == null ? "" : ", stream " + b.streamKey())
               + ": " + b.problem();
    }

    private static Digest digest(DigestView d) {
        return new Digest(d.sequence(), d.sealedUpTo(), d.eventCount(), d.merkleRoot(), d.previousDigest(),
                          d.createdAt(), d.keyId(), d.signature(), d.signedText());
    }
}
