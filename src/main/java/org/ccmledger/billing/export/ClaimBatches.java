package org.ccmledger.billing.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.ccmledger.billing.api.ClaimExportsId;
import org.ccmledger.billing.api.ClaimsBatchExported;
import org.ccmledger.billing.api.PayerReferenceRecorded;
import org.ccmledger.billing.api.RecordClaimsBatch;
import org.ccmledger.billing.api.SentClaim;
import org.ccmledger.identity.api.PatientIdentities;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.axon.ReferenceStreams;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.practice.api.PracticeProfile;
import org.ccmledger.practice.api.PracticeProfiles;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoDatabase;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The export ledger's side of X12: which claim versions go out next ({@code since=last}: only what was not sent, or
 * changed since), under the next interchange control number of the practice, with the practice's profile and each
 * patient's identity; the interchange's bytes are kept ({@code claim_batches}, in parts when large:
 * {@link InterchangeCopies}) so a past batch is served again byte for byte, checked against the SHA-256 its
 * {@link ClaimsBatchExported} records.
 * <p>
 * Per patient-month the versions are the statement and its adjustments. The latest goes out when it is newer than the
 * last one sent: as an original (1) when none was sent (the versions before it never reach the payer), as a
 * replacement (7) of the last one sent, or as a void (8) of it when nothing is billable any more; 7 and 8 name the
 * payer's claim number (ICN) of the claim they replace, recorded with {@code POST …/claims/{claimId}/payer-reference},
 * and are held until it is. A claim whose patient has no identity on record (or an erased one) is held too. An original
 * and its replacement never go out in the same interchange.
 */
@Component
public class ClaimBatches {

    static final String COLLECTION = "claim_batches";
    /** Identities read from the store in one query, a practice's claims going out a hundred patients at a time. */
    private static final int IDENTITIES_READ_TOGETHER = 100;

    private final ClaimsFeed feed;
    private final PracticeProfiles profiles;
    private final PatientIdentities identities;
    private final ReferenceStreams streams;
    private final KeptInterchanges kept;
    private final Clock clock = Clock.systemUTC();

    ClaimBatches(ClaimsFeed feed, PracticeProfiles profiles, PatientIdentities identities, ReferenceStreams streams,
                 MongoDatabase database) {
        this.feed = feed;
        this.profiles = profiles;
        this.identities = identities;
        this.streams = streams;
        this.kept = new KeptInterchanges(database, this::history, practice -> recorded(practice.value()), clock);
    }

    /** The next interchange, prepared and stored; recorded once its {@link #command} is sent. */
    public record Prepared(String interchange, RecordClaimsBatch command, List<String> withheld, List<String> held,
                           String addOnsLeftOut) {
    }

    /** The practice's interchanges so far, and the ICNs recorded. */
    public static final class History {

        private final List<ClaimsBatchExported> batches;
        private final Map<String, String> icns;
        /** Every version id an interchange sent or stood for: one lookup per version, not a scan of every batch. */
        private final Set<String> sentIds = new HashSet<>();

        public History(List<ClaimsBatchExported> batches, Map<String, String> icns) {
            this.batches = List.copyOf(batches);
            this.icns = Collections.unmodifiableMap(new LinkedHashMap<>(icns));
            for (ClaimsBatchExported batch : batches) {
                for (SentClaim claim : batch.claims()) {
                    sentIds.add(claim.claimId());
                    sentIds.addAll(claim.covers());
                }
            }
        }

        public List<ClaimsBatchExported> batches() {
            return batches;
        }

        public Map<String, String> icns() {
            return icns;
        }

        /** The batch recorded under {@code controlNumber}, if any. */
        Optional<ClaimsBatchExported> batch(long controlNumber) {
            return batches.stream().filter(b -> b.controlNumber() == controlNumber).findFirst();
        }

        long lastControlNumber() {
            return batches.isEmpty() ? 0 : batches.get(batches.size() - 1).controlNumber();
        }

        boolean sent(String claimId) {
            return sentIds.contains(claimId);
        }
    }

    public History history(PracticeId practice) {
        List<ClaimsBatchExported> exported = new ArrayList<>();
        Map<String, String> icns = new LinkedHashMap<>();
        for (Object payload : streams.payloads(new ClaimExportsId(practice).toString())) {
            if (payload instanceof ClaimsBatchExported batch) {
                exported.add(batch);
            } else if (payload instanceof PayerReferenceRecorded reference) {
                icns.put(reference.claimId(), reference.icn());
            }
        }
        return new History(exported, icns);
    }

    /**
     * The claims of {@code month} not yet sent or changed since, as the practice's next 837P; 422 listing what the
     * practice's profile lacks; 404 when nothing is new.
     */
    public Prepared next(String practiceId, YearMonth month) {
        PracticeId practice = new PracticeId(practiceId);
        PracticeProfile profile = profiles.current(practice).map(PracticeProfiles.PracticeProfileView::profile)
                                          .orElse(null);
        List<String> missing = profile == null ? List.of("placeOfService", "legalName", "billingProviderNpi", "taxId",
                                                         "address", "contact", "taxonomyCode", "payer", "submitter",
                                                         "receiver", "usage")
                : profile.missingForClaims();
        if (!missing.isEmpty()) {
            throw Refusal.rule("PROFILE_INCOMPLETE", "R13", "the practice's profile lacks what an 837P needs: "
                                                            + String.join(", ", missing))
                          .with("missing", missing);
        }
        History history = history(practice);
        ClaimsFeed.Feed all = feed.claims(practiceId, month);
        Selection selection = Selection.of(all, history, profile.exportVisitClaims());
        List<X12Submission.X12Claim> claims = new ArrayList<>();
        List<SentClaim> sent = new ArrayList<>();
        List<String> held = new ArrayList<>(selection.held());
        List<String> withheld = new ArrayList<>();
        List<Selection.Outgoing> outgoing = selection.outgoing();
        for (int i = 0; i < outgoing.size(); i++) {
            if (i % IDENTITIES_READ_TOGETHER == 0) {
                identities.prefetch(outgoing.subList(i, Math.min(outgoing.size(), i + IDENTITIES_READ_TOGETHER))
                                            .stream().map(o -> EnrollmentId.of(practiceId, o.claim().patientId()))
                                            .toList());
            }
            Selection.Outgoing out = outgoing.get(i);
            Claim claim = out.claim();
            var identity = identities.identity(EnrollmentId.of(practiceId, claim.patientId()));
            if (identity.status() != PatientIdentities.Status.PRESENT) {
                held.add(out.sentId() + " (no patient identity on record)");
                continue;
            }
            PracticeProfile.PractitionerName rendering = profile.practitioners().get(claim.billingPractitioner());
            if (rendering == null && !claim.billingPractitioner().equals(profile.billingProviderNpi())) {
                // billed under the practice's NPI, the claim must name who furnished the care (2310B)
                held.add(out.sentId() + " (no name in the profile's practitioners for NPI "
                         + claim.billingPractitioner() + ")");
                continue;
            }
            if (claim.items().stream().anyMatch(item -> item.unitAmount() == null)
                || claim.kind() == Claim.Kind.INITIATING_VISIT && claim.items().size() < 2) {
                withheld.add(out.sentId());
                continue;
            }
            String controlNumber = ClaimNumbers.controlNumber(out.sentId());
            String icn = out.replaces() == null ? null : history.icns().get(out.replaces());
            claims.add(new X12Submission.X12Claim(claim, out.frequency(), controlNumber, icn, identity.identity(),
                                                  rendering));
            sent.add(new SentClaim(out.sentId(), controlNumber, out.frequency(), icn, out.covers()));
        }
        if (claims.isEmpty()) {
            throw Refusal.notFound("NO_CLAIMS", "nothing to send for " + month + " since interchange "
                                                + history.lastControlNumber()
                                                + (withheld.isEmpty() ? "" : "; withheld (unknown amounts): "
                                                                             + withheld)
                                                + (held.isEmpty() ? "" : "; held: " + held));
        }
        long control = history.lastControlNumber() + 1;
        Instant preparedAt = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        LocalDateTime at = LocalDateTime.ofInstant(preparedAt, ZoneOffset.UTC);
        X12Envelope envelope = new X12Envelope(profile.submitter().id(), profile.receiver().id(), (int) control,
                                               at.toLocalDate(), at.toLocalTime(), profile.usage());
        String interchange;
        try {
            interchange = X12Claims.write837P(new X12Submission(envelope, profile.submitter(), profile.contact(),
                                                                profile.receiver(), provider(practice, profile),
                                                                profile.payer(), claims));
        } catch (IllegalArgumentException e) {
            throw Refusal.rule("X12_NOT_WRITABLE", "R15", e.getMessage());
        }
        String sha256 = sha256(interchange);
        // keyed by its hash too: of two exports racing for one control number only one is recorded (409 for the
        // other), and the bytes of the loser never overwrite the winner's
        kept.keep(practice, control, sha256, interchange);
        RecordClaimsBatch command = new RecordClaimsBatch(new ClaimExportsId(practice), control, preparedAt, month,
                                                          sent, sha256,
                                                          interchange.getBytes(StandardCharsets.UTF_8).length);
        return new Prepared(interchange, command, withheld, held, selection.addOnsLeftOut());
    }

    /** A past interchange, byte for byte, checked against what its batch recorded. */
    public String batch(String practiceId, long controlNumber) {
        PracticeId practice = new PracticeId(practiceId);
        ClaimsBatchExported recorded = history(practice).batch(controlNumber)
                                                         .orElseThrow(() -> Refusal.notFound(
                                                                 "UNKNOWN_BATCH", "no interchange of this practice "
                                                                                  + "with this control number"));
        String interchange = kept.read(practice, recorded).orElse(null);
        if (interchange == null || !sha256(interchange).equals(recorded.sha256())) {
            throw Refusal.unavailable("BATCH_DAMAGED", "the stored interchange " + controlNumber + " is not the one "
                                                       + "exported (missing, or its SHA-256 differs from the batch's)");
        }
        return interchange;
    }

    /**
     * Records the prepared batch through {@code send} (the export ledger, {@link ClaimExports}) and reads the ledger
     * afresh. When the record fails, its copy is dropped if another batch holds its control number ({@link #failed}),
     * and the failure is answered as it was.
     */
    public Mono<Prepared> record(String practiceId, Prepared prepared, Function<Object, Mono<?>> send) {
        return send.apply(prepared.command()).thenReturn(prepared)
                   .publishOn(Schedulers.boundedElastic())
                   .doOnNext(sent -> settled(practiceId, sent.command()))
                   .onErrorResume(refused -> Mono.fromRunnable(() -> failed(practiceId, prepared.command(), refused))
                                                 .subscribeOn(Schedulers.boundedElastic())
                                                 .then(Mono.error(refused)));
    }

    /**
     * After the record of {@code command} failed, whatever the failure (409 {@code CONCURRENT_EXPORT} from this
     * instance, a duplicate key when two instances raced, a timeout): drops the copy of its interchange, which never
     * went out and names its patients in clear, when the export ledger holds another batch under its control number
     * (another SHA-256: the copy is not that batch's). It is this one: the draft is settled. None can be read yet: it
     * stays a draft, for {@link #sweepDrafts}. A failure to drop is logged, never put in the place of {@code failure}.
     */
    private void failed(String practiceId, RecordClaimsBatch command, Throwable failure) {
        kept.failed(new PracticeId(practiceId), command.controlNumber(), command.sha256(), failure);
    }

    /** After {@code command} was recorded: read the export ledger afresh; its copy is no longer a draft. */
    private void settled(String practiceId, RecordClaimsBatch command) {
        recorded(practiceId);
        kept.settled(new PracticeId(practiceId), command.controlNumber(), command.sha256());
    }

    /** Drops the copies of interchanges prepared before then and never recorded ({@link KeptInterchanges#sweep}). */
    public int sweepDrafts(Instant preparedBefore) {
        return kept.sweep(preparedBefore);
    }

    /** After the batch was recorded: read the export ledger afresh. */
    public void recorded(String practiceId) {
        streams.forget(new ClaimExportsId(new PracticeId(practiceId)).toString());
    }

    private X12Submission.BillingProvider provider(PracticeId practice, PracticeProfile profile) {
        PracticeProfile.TaxId tax = profile.taxId();
        String taxId = "EIN".equals(tax.type()) ? tax.ein()
                : profiles.openSsn(practice, tax.ssn()).orElseThrow(() -> Refusal.rule(
                        "PROFILE_INCOMPLETE", "R13", "the practice's SSN can no longer be read (its key was erased)")
                        .with("missing", List.of("taxId")));
        return new X12Submission.BillingProvider(profile.legalName(), profile.billingProviderNpi(),
                                                 "EIN".equals(tax.type()) ? "EI" : "SY", taxId, profile.address(),
                                                 profile.taxonomyCode());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                         .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
