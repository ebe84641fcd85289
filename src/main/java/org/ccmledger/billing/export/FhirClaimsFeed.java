package org.ccmledger.billing.export;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.ccmledger.identity.api.PatientIdentities;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.threads.DaemonThreads;
import org.ccmledger.practice.api.PracticeProfiles;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The month's claims as a FHIR R4 bundle ({@link FhirClaims}), written a batch of patients at a time so that a
 * practice's month streams: created at the start of the export, a claim a later version replaced or voided
 * {@code cancelled}, each patient's MBI (when recorded) in the contained Medicare Part B coverage, the payer the
 * practice's profile names. A patient's claims, their replacements and voids all fall in the patient's batch, so the
 * batches together say what one export of all the claims says.
 */
@Component
public class FhirClaimsFeed {

    private final ClaimsFeed feed;
    private final PracticeProfiles profiles;
    private final PatientIdentities identities;
    private final Clock clock = Clock.systemUTC();

    FhirClaimsFeed(ClaimsFeed feed, PracticeProfiles profiles, PatientIdentities identities) {
        this.feed = feed;
        this.profiles = profiles;
        this.identities = identities;
    }

    /**
     * Reads HAPI's model in the background once the service is up ({@link #readModel}), so that the first FHIR export
     * after a start answers as soon as its first patients are written. A failure is left for that export to meet and
     * report.
     */
    @EventListener(ApplicationReadyEvent.class)
    void readModelInBackground() {
        DaemonThreads.prepareAhead("fhir-model-read", FhirClaimsFeed::readModel);
    }

    /**
     * Reads HAPI's R4 model of what a claim bundle holds by encoding a made-up claim (no patient's data), and throws the
     * text away. The first encoding in a JVM takes a second or more (HAPI scans the model classes); done once the
     * service is up, the first export after a start does not wait for it.
     *
     * @return the made-up claim's bundle
     */
    static String readModel() {
        YearMonth month = YearMonth.of(2026, 1);
        Claim claim = new Claim("model-read", Claim.Frequency.ORIGINAL, null, "model-read", "model-read", "1234567893",
                                month, "11", List.of("E11.9", "I10"), List.of(new Claim.Item(
                                        "model-read", 1, "99490", 1, BigDecimal.ONE, month.atEndOfMonth(), List.of(1))));
        return FhirClaims.bundleJson(new FhirClaims.Export(List.of(claim), Instant.EPOCH, Set.of(),
                                                           Map.of("model-read", "1EG4TE5MK73"), "model-read"));
    }

    /** A month's bundle to write: {@link #first}, {@link #entries} of each of the {@link #rest} in turn, {@link #end}. */
    public final class Bundle {
        private final String practiceId;
        private final YearMonth month;
        private final List<List<String>> batches;
        private final Instant created;
        private final String payer;
        private final FhirClaims.BundleWriter writer = new FhirClaims.BundleWriter();

        private Bundle(String practiceId, YearMonth month) {
            this.practiceId = practiceId;
            this.month = month;
            this.batches = feed.batches(practiceId, month);
            this.created = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            this.payer = profiles.current(new PracticeId(practiceId))
                                 .map(p -> p.profile().payer() == null ? null : p.profile().payer().name())
                                 .orElse(null);
        }

        /**
         * The bundle's opening and the first batch's entries: written before the answer starts, so that what fails for
         * every batch (the store unreachable, a damaged event) fails the request instead of cutting its body short.
         */
        public String first() {
            return writer.start() + (batches.isEmpty() ? "" : entries(batches.get(0)));
        }

        /** The batches after the first, in patient id order. */
        public List<List<String>> rest() {
            return batches.isEmpty() ? List.of() : batches.subList(1, batches.size());
        }

        /** The entries of a batch's claims; batches are written one after another, in order. */
        public synchronized String entries(List<String> batch) {
            identities.prefetch(batch.stream().map(patient -> EnrollmentId.of(practiceId, patient)).toList());
            ClaimsFeed.Feed part = feed.claims(practiceId, month, batch);
            Set<String> cancelled = new HashSet<>(part.voided());
            part.claims().stream().map(Claim::replacesClaimId).filter(Objects::nonNull).forEach(cancelled::add);
            Map<String, String> mbis = new LinkedHashMap<>();
            for (Claim claim : part.claims()) {
                mbis.computeIfAbsent(claim.patientId(), patient -> {
                    var identity = identities.identity(EnrollmentId.of(practiceId, patient));
                    return identity.status() == PatientIdentities.Status.PRESENT ? identity.identity().mbi() : null;
                });
            }
            mbis.values().removeIf(Objects::isNull);
            return writer.entries(new FhirClaims.Export(part.claims(), created, cancelled, mbis, payer));
        }

        public synchronized String end() {
            return writer.end();
        }
    }

    /**
     * The month's bundle, to be written in parts; refused (409) while the billing read model is behind. Once the first
     * part is out, a failure can only end the body early: a client reads a streamed bundle to its end.
     */
    public Bundle bundle(String practiceId, YearMonth month) {
        return new Bundle(practiceId, month);
    }

    /** The month's whole bundle at once. */
    public String json(String practiceId, YearMonth month) {
        Bundle bundle = bundle(practiceId, month);
        StringBuilder json = new StringBuilder(bundle.first());
        bundle.rest().forEach(batch -> json.append(bundle.entries(batch)));
        return json.append(bundle.end()).toString();
    }
}
