package org.ccmledger.audit;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.queryhandling.QueryGateway;
import org.ccmledger.audit.AuditPacket.CarePlanVersion;
import org.ccmledger.audit.AuditPacket.ConsentEvidence;
import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.BillingViews.PatientMonthView;
import org.ccmledger.billing.api.FindBillingMonth;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.identity.api.PatientIdentities;
import org.ccmledger.identity.api.PatientIdentity;
import org.ccmledger.ledger.LedgerCollections;
import org.ccmledger.ledger.LedgerDigestLog;
import org.ccmledger.ledger.LedgerLookup;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.axon.StoredEventPayloads;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.practice.api.PracticeProfile;
import org.ccmledger.practice.api.PracticeProfiles;
import org.ccmledger.practice.api.StaffDirectory;
import org.springframework.stereotype.Component;

/** Assembles {@link AuditPacket}s straight from the patient's streams in the ledger. Blocking. */
@Component
class AuditPackets {

    private final LedgerLookup lookup;
    private final StoredEventPayloads payloads;
    private final QueryGateway queries;
    private final PacketProof proofs;
    private final PatientIdentities identities;
    private final PracticeProfiles profiles;
    private final StaffDirectory staff;

    AuditPackets(LedgerLookup lookup, StoredEventPayloads payloads, QueryGateway queries,
                 LedgerCollections collections, LedgerDigestLog digests, PatientIdentities identities,
                 PracticeProfiles profiles, StaffDirectory staff) {
        this.lookup = lookup;
        this.payloads = payloads;
        this.queries = queries;
        this.proofs = new PacketProof(lookup, new LedgerVerifier(collections), digests);
        this.identities = identities;
        this.profiles = profiles;
        this.staff = staff;
    }

    /** The packet as the ledger stands now, with the proof, the beneficiary, the people and the patient's risks. */
    AuditPacket packet(EnrollmentId id, YearMonth month) {
        AuditPacket packet = packet(id, month, null, true);
        List<RiskFinding> risks = new ArrayList<>(RiskRules.findings(packet));
        risks.addAll(CrossPatientRisks.duplicates(packet, sameBeneficiaryBilled(id, month, null)));
        return packet.withRisks(reviewed(risks, id.practiceId(), month, null));
    }

    /** The findings, each with the review decisions recorded on it (its patient and risk) by {@code asKnownAt}. */
    List<RiskFinding> reviewed(List<RiskFinding> findings, org.ccmledger.patient.PracticeId practice, YearMonth month,
                               Instant asKnownAt) {
        Map<String, List<RiskFinding.Review>> reviews = new LinkedHashMap<>();
        String stream = new org.ccmledger.audit.api.RiskReviewsId(practice, month).toString();
        for (StoredEvent stored : known(lookup.stream(stream, null), asKnownAt)) {
            if (payloads.payload(stored) instanceof org.ccmledger.audit.api.RiskReviewRecorded r) {
                reviews.computeIfAbsent(r.patientId() + "\n" + r.risk(), k -> new ArrayList<>())
                       .add(new RiskFinding.Review(r.decision().name(), r.reference(), r.note(),
                                                   PacketEvidence.actor(payloads.metaData(stored)),
                                                   stored.recordedAt(), stored.eventIdentifier()));
            }
        }
        return findings.stream().map(f -> f.withReviews(reviews.getOrDefault(f.patientId() + "\n" + f.risk(),
                                                                             List.of()))).toList();
    }

    /** Whether the practice has ever enrolled the patient (a review names a patient of the practice). */
    boolean enrolled(EnrollmentId id) {
        return !lookup.stream(id.toString(), null).isEmpty();
    }

    /**
     * The packet as the ledger stood at {@code asKnownAt} ({@code null}: now): only events recorded by then count.
     * Without {@code proof} (a practice-wide risk scan) the hash-chain checks, the identity and the people are left
     * out.
     */
    AuditPacket packet(EnrollmentId id, YearMonth month, Instant asKnownAt, boolean proof) {
        return packet(id, month, asKnownAt, proof, profile(id.practiceId()), stream -> lookup.stream(stream, null),
                      () -> queries.query(new FindBillingMonth(id, month, asKnownAt), PatientMonthView.class).join());
    }

    /**
     * The packets of many patients of a practice for a risk scan (no proof), as {@link #packet} makes each, with the
     * patients' streams read together ({@link LedgerLookup#streams}), their billing views asked for at once when
     * {@code asKnownAt} is now, and their identities readied together; a patient the ledger did not know at
     * {@code asKnownAt} is left out.
     */
    List<AuditPacket> packets(org.ccmledger.patient.PracticeId practice, List<String> patientIds, YearMonth month,
                              Instant asKnownAt) {
        List<EnrollmentId> ids = patientIds.stream().map(p -> EnrollmentId.of(practice.value(), p)).toList();
        List<String> streams = new ArrayList<>();
        for (EnrollmentId id : ids) {
            streams.add(id.toString());
            streams.add(new CarePlanId(id).toString());
            streams.add(new BillingMonthId(id, month).toString());
        }
        Map<String, List<StoredEvent>> read = lookup.streams(streams);
        Map<String, PatientMonthView> views = new java.util.HashMap<>();
        if (asKnownAt == null) {
            queries.query(new org.ccmledger.billing.api.FindBillingMonths(practice, month, patientIds),
                          org.axonframework.messaging.responsetypes.ResponseTypes.multipleInstancesOf(
                                  PatientMonthView.class)).join()
                   .forEach(view -> views.put(view.patientId(), view));
        }
        identities.prefetch(ids);
        PracticeProfile profile = profile(practice);
        List<AuditPacket> packets = new ArrayList<>();
        for (EnrollmentId id : ids) {
            PatientMonthView view = views.get(id.patientId().value());
            try {
                packets.add(packet(id, month, asKnownAt, false, profile,
                                   stream -> read.containsKey(stream) ? read.get(stream) : lookup.stream(stream, null),
                                   () -> view != null ? view : queries.query(new FindBillingMonth(id, month, asKnownAt),
                                                                             PatientMonthView.class).join()));
            } catch (Refusal notYetEnrolled) {
                // enrolled after asKnownAt: the ledger did not know the patient then
            }
        }
        return packets;
    }

    /** The practice's profile now, read once for every packet made together; {@code null} when it has none. */
    private PracticeProfile profile(org.ccmledger.patient.PracticeId practice) {
        return profiles.current(practice).map(PracticeProfiles.PracticeProfileView::profile).orElse(null);
    }

    private AuditPacket packet(EnrollmentId id, YearMonth month, Instant asKnownAt, boolean proof,
                               PracticeProfile profile,
                               java.util.function.Function<String, List<StoredEvent>> streams,
                               java.util.function.Supplier<PatientMonthView> billingView) {
        List<StoredEvent> enrollmentStream = known(streams.apply(id.toString()), asKnownAt);
        if (enrollmentStream.isEmpty()) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
        EnrollmentFold fold = new EnrollmentFold(payloads);
        enrollmentStream.forEach(stored -> fold.apply(stored, month));
        ZoneId zone = fold.enrolled.timeZone();
        PacketEvidence.Times at = new PacketEvidence.Times(zone);
        Instant monthStart = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant monthEnd = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        int lateDays = profile == null ? PracticeProfile.DEFAULT_LATE_ENTRY_DAYS : profile.lateEntryThreshold();
        List<AuditPacket.TimeEntry> inMonth = fold.entries.values().stream()
                                                          .filter(t -> t.touches(monthStart, monthEnd))
                                                          .map(t -> PacketEvidence.entry(t, at, lateDays)).toList();
        // the month's first counted minute: the earliest start of an entry still standing
        Instant firstCounted = fold.entries.values().stream()
                                           .filter(t -> !"VOIDED".equals(t.status)
                                                        && !t.startedAt.isBefore(monthStart)
                                                        && t.startedAt.isBefore(monthEnd))
                                           .map(t -> t.startedAt).min(Comparator.naturalOrder()).orElse(null);

        String carePlanStream = new CarePlanId(id).toString();
        List<StoredEvent> carePlanEvents = known(streams.apply(carePlanStream), asKnownAt);
        List<CarePlanRevised> plans = new ArrayList<>();
        List<CarePlanVersion> history = new ArrayList<>();
        for (StoredEvent stored : carePlanEvents) {
            if (payloads.payload(stored) instanceof CarePlanRevised r) {
                plans.add(r);
                history.add(PacketEvidence.version(r, at, stored.eventIdentifier()));
            }
        }
        BillingMonthId billingMonth = new BillingMonthId(id, month);
        List<StoredEvent> billingEvents = known(streams.apply(billingMonth.toString()), asKnownAt);
        BillingStatementIssued statement = null;
        List<BillingAdjustmentIssued> adjustments = new ArrayList<>();
        for (StoredEvent stored : billingEvents) {
            Object event = payloads.payload(stored);
            if (event instanceof BillingStatementIssued s) {
                statement = s;
            } else if (event instanceof BillingAdjustmentIssued a) {
                adjustments.add(a);
            }
        }
        // the plan in force on the date of service billed (the date of death when earlier), else at month end
        Instant planCut = statement == null ? monthEnd
                : statement.dateOfService().plusDays(1).atStartOfDay(zone).toInstant();
        CarePlanVersion inForce = null;
        for (int i = 0; i < plans.size(); i++) {
            if (plans.get(i).revisedAt().isBefore(planCut)) {
                inForce = history.get(i);
            }
        }
        PatientMonthView now = billingView.get();

        AuditPacket.Integrity integrity = !proof ? null
                : proofs.integrity(List.of(enrollmentStream, carePlanEvents, billingEvents),
                            List.of(id.toString(), carePlanStream, billingMonth.toString()), statement, adjustments);
        List<ConsentEvidence> consents = fold.consents.decisions().stream()
                                                      .map(c -> PacketEvidence.consent(c, at, firstCounted)).toList();
        AuditPacket.Enrollment enrollment = new AuditPacket.Enrollment(
                at.of(fold.enrolledAt), fold.enrolled.billingPractitioner().value(), zone.getId(),
                fold.enrolled.qualifiedMedicareBeneficiary(), fold.enrolled.initiatingVisitRequired(),
                fold.enrolled.chronicConditions(),
                fold.changes.stream().map(c -> new AuditPacket.PractitionerChange(
                        c.previous().value(), c.billingPractitioner().value(), at.of(c.effectiveAt()))).toList(),
                fold.death, at.of(fold.disenrolled));
        List<AuditPacket.Difference> differences = PacketFindings.differences(statement, adjustments, now);
        AuditPacket.Summary summary = PacketFindings.summary(statement, adjustments, now, consents, inForce,
                                                             inMonth, fold.death, month);
        AuditPacket.Beneficiary beneficiary = proof ? beneficiary(id) : null;
        Map<String, AuditPacket.Person> people = !proof ? Map.of() : PacketFindings.people(
                staff.asOf(id.practiceId(), asKnownAt), profile, enrollment, consents, history, fold.visits, inMonth,
                statement, adjustments);
        return new AuditPacket(id.practiceId().value(), id.patientId().value(), month.toString(),
                               at.of(org.axonframework.eventhandling.GenericEventMessage.clock.instant()),
                               zone.getId(), summary, beneficiary, people, enrollment, consents, inForce, history,
                               fold.visits, fold.facts, lateDays, inMonth, statement, adjustments, now, differences,
                               List.of(), integrity);
    }

    private static List<StoredEvent> known(List<StoredEvent> events, Instant asKnownAt) {
        return asKnownAt == null ? events
                : events.stream().filter(e -> !e.recordedAt().isAfter(asKnownAt)).toList();
    }

    /**
     * The other enrollments with the same beneficiary (by the keyed hash of the MBI, in any practice) that had a
     * statement for the month by {@code asKnownAt}: the practice and patient of each, as {@code EnrollmentId}s,
     * with the billing practitioner of their statement.
     */
    List<CrossPatientRisks.OtherClaim> sameBeneficiaryBilled(EnrollmentId id, YearMonth month, Instant asKnownAt) {
        List<CrossPatientRisks.OtherClaim> others = new ArrayList<>();
        for (EnrollmentId other : identities.sameBeneficiary(id)) {
            for (StoredEvent stored : known(lookup.stream(new BillingMonthId(other, month).toString(), null),
                                            asKnownAt)) {
                if (payloads.payload(stored) instanceof BillingStatementIssued s && !s.lines().isEmpty()) {
                    others.add(new CrossPatientRisks.OtherClaim(other, s.billingPractitioner()));
                }
            }
        }
        return others;
    }

    private AuditPacket.Beneficiary beneficiary(EnrollmentId id) {
        PatientIdentities.Lookup lookup = identities.identity(id);
        return switch (lookup.status()) {
            case NONE -> new AuditPacket.Beneficiary("NOT_RECORDED", null, null, null, null);
            case ERASED -> new AuditPacket.Beneficiary("ERASED", null, null, null, null);
            case PRESENT -> {
                PatientIdentity identity = lookup.identity();
                yield new AuditPacket.Beneficiary("RECORDED", identity.givenName() + " " + identity.familyName(),
                                                  identity.birthDate(), identity.sex(), identity.mbi());
            }
        };
    }

}
