package org.ccmledger.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.queryhandling.QueryGateway;
import org.ccmledger.audit.AuditPacket.CarePlanVersion;
import org.ccmledger.audit.AuditPacket.Change;
import org.ccmledger.audit.AuditPacket.ConsentEvidence;
import org.ccmledger.billing.api.BillingAdjustmentIssued;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.BillingStatementIssued;
import org.ccmledger.billing.api.BillingViews.PatientMonthView;
import org.ccmledger.billing.api.FindBillingMonth;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.consent.api.ConsentEnd;
import org.ccmledger.consent.api.ConsentPeriod;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.identity.api.PatientIdentities;
import org.ccmledger.identity.api.PatientIdentity;
import org.ccmledger.ledger.LedgerCollections;
import org.ccmledger.ledger.LedgerDigestLog;
import org.ccmledger.ledger.LedgerLookup;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.platform.axon.Provenance;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.ComplexityAttested;
import org.ccmledger.patient.ConcurrentServiceRecorded;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.InitiatingVisitRecorded;
import org.ccmledger.patient.InpatientStayRecorded;
import org.ccmledger.patient.PatientDied;
import org.ccmledger.patient.PatientDisenrolled;
import org.ccmledger.patient.PatientEnrolled;
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

    /** What the patient's enrollment stream says, folded in order. */
    private final class EnrollmentFold {
        PatientEnrolled enrolled;
        Instant enrolledAt;
        final List<BillingPractitionerChanged> changes = new ArrayList<>();
        ConsentPeriods<String> consents = ConsentPeriods.none();
        final List<AuditPacket.Visit> visits = new ArrayList<>();
        final List<AuditPacket.ClinicalFact> facts = new ArrayList<>();
        final Map<String, Entry> entries = new LinkedHashMap<>();
        LocalDate death;
        Instant disenrolled;

        void apply(StoredEvent stored, YearMonth month) {
            Object event = payloads.payload(stored);
            Map<String, Object> meta = payloads.metaData(stored);
            String actor = actor(meta);
            consents = consents.apply(event, stored.eventIdentifier());
            if (event instanceof PatientEnrolled e) {
                enrolled = e;
                enrolledAt = stored.recordedAt();
            } else if (event instanceof BillingPractitionerChanged e) {
                changes.add(e);
            } else if (event instanceof InitiatingVisitRecorded e) {
                visits.add(new AuditPacket.Visit(e.visitDate(), e.visitType().name(), e.emLevel(),
                                                 e.practitioner().value(), e.comprehensiveCarePlanning(),
                                                 stored.eventIdentifier()));
            } else if (event instanceof CareMinutesLogged e) {
                entries.put(e.entryId().value(), new Entry(e, stored.recordedAt(), actor, stored.eventIdentifier(),
                                                           Provenance.originallyRecordedAt(meta)));
            } else if (event instanceof CareMinutesCorrected e && entries.containsKey(e.entryId().value())) {
                entries.get(e.entryId().value()).corrected(e, stored, actor);
            } else if (event instanceof CareMinutesVoided e && entries.containsKey(e.entryId().value())) {
                entries.get(e.entryId().value()).voided(e, stored, actor);
            } else if (event instanceof ComplexityAttested e && e.month().equals(month)) {
                facts.add(new AuditPacket.ClinicalFact("COMPLEXITY_ATTESTED", e.medicalDecisionMaking()
                        + " medical decision making, attested by " + e.attestedBy(), stored.eventIdentifier()));
            } else if (event instanceof InpatientStayRecorded e && !e.admittedOn().isAfter(month.atEndOfMonth())
                       && !e.dischargedOn().isBefore(month.atDay(1))) {
                facts.add(new AuditPacket.ClinicalFact("INPATIENT_STAY", e.admittedOn() + " to " + e.dischargedOn(),
                                                       stored.eventIdentifier()));
            } else if (event instanceof ConcurrentServiceRecorded e && e.month().equals(month)) {
                String npi = e.practitioner() == null ? null : e.practitioner().value();
                facts.add(new AuditPacket.ClinicalFact("CONCURRENT_SERVICE", e.code() + " (" + e.kind() + ") by NPI "
                        + (npi == null ? "unknown" : npi), e.code(), e.kind().name(), npi, stored.eventIdentifier()));
            } else if (event instanceof PatientDied e) {
                death = e.dateOfDeath();
            } else if (event instanceof PatientDisenrolled e) {
                disenrolled = e.effectiveAt();
            }
        }
    }

    /** A time entry as it stands now, with its history. */
    private static final class Entry {
        final CareMinutesLogged logged;
        final Instant recordedAt;
        final String recordedBy;
        final String eventId;
        /** When the product the practice came from recorded it, for an imported entry; else {@code null}. */
        final Instant originallyRecordedAt;
        Instant startedAt;
        int minutes;
        String status = "LIVE";
        final List<Object[]> changes = new ArrayList<>();

        Entry(CareMinutesLogged logged, Instant recordedAt, String recordedBy, String eventId,
              Instant originallyRecordedAt) {
            this.logged = logged;
            this.recordedAt = recordedAt;
            this.originallyRecordedAt = originallyRecordedAt;
            this.recordedBy = recordedBy;
            this.eventId = eventId;
            this.startedAt = logged.startedAt();
            this.minutes = logged.minutes();
        }

        void corrected(CareMinutesCorrected e, StoredEvent stored, String actor) {
            changes.add(new Object[] {"CORRECTED", stored.recordedAt(), actor, e.reason(), e.previousStartedAt(),
                                      e.previousMinutes(), e.startedAt(), e.minutes(), stored.eventIdentifier()});
            startedAt = e.startedAt();
            minutes = e.minutes();
            status = "CORRECTED";
        }

        void voided(CareMinutesVoided e, StoredEvent stored, String actor) {
            changes.add(new Object[] {"VOIDED", stored.recordedAt(), actor, e.reason(), null, null, null, null,
                                      stored.eventIdentifier()});
            status = "VOIDED";
        }

        boolean touches(Instant start, Instant end) {
            if (overlaps(logged.startedAt(), logged.minutes(), start, end)) {
                return true;
            }
            return changes.stream().anyMatch(c -> c[6] != null && overlaps((Instant) c[6], (Integer) c[7], start, end));
        }

        private static boolean overlaps(Instant from, int minutes, Instant start, Instant end) {
            return from.isBefore(end) && from.plusSeconds(60L * minutes).isAfter(start);
        }
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
                                                   actor(payloads.metaData(stored)),
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
        EnrollmentFold fold = new EnrollmentFold();
        enrollmentStream.forEach(stored -> fold.apply(stored, month));
        ZoneId zone = fold.enrolled.timeZone();
        Times at = new Times(zone);
        Instant monthStart = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant monthEnd = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        int lateDays = profile == null ? PracticeProfile.DEFAULT_LATE_ENTRY_DAYS : profile.lateEntryThreshold();
        List<AuditPacket.TimeEntry> inMonth = fold.entries.values().stream()
                                                          .filter(t -> t.touches(monthStart, monthEnd))
                                                          .map(t -> entry(t, at, lateDays)).toList();
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
                history.add(version(r, at, stored.eventIdentifier()));
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
                                                      .map(c -> consent(c, at, firstCounted)).toList();
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

    private static AuditPacket.TimeEntry entry(Entry t, Times at, int lateDays) {
        Instant ended = t.logged.startedAt().plusSeconds(60L * t.logged.minutes());
        // an imported entry was documented when the product the practice came from recorded it, not when imported
        Instant documented = t.originallyRecordedAt != null ? t.originallyRecordedAt : t.recordedAt;
        long daysAfter = Math.max(0, Duration.between(ended, documented).toDays());
        boolean late = documented.isAfter(ended.plus(Duration.ofDays(lateDays)));
        List<Change> changes = t.changes.stream().map(c -> new Change(
                (String) c[0], at.of((Instant) c[1]), (String) c[2], (String) c[3], at.of((Instant) c[4]),
                (Integer) c[5], at.of((Instant) c[6]), (Integer) c[7], (String) c[8])).toList();
        return new AuditPacket.TimeEntry(t.logged.entryId().value(), t.logged.performer().id(),
                                         t.logged.performer().role().name(), t.logged.activity().name(),
                                         t.logged.note(), at.of(t.logged.startedAt()), t.logged.minutes(), t.status,
                                         at.of(t.recordedAt), t.recordedBy, daysAfter, late, changes, t.eventId,
                                         at.of(t.originallyRecordedAt));
    }

    private static CarePlanVersion version(CarePlanRevised r, Times at, String eventId) {
        return new CarePlanVersion(r.version(), at.of(r.revisedAt()), r.revisedBy(), r.substantialRevision(),
                                   at.of(r.sharedWithPatientAt()), r.problems(), r.expectedOutcome(),
                                   r.measurableGoals(), r.symptomManagement(), r.plannedInterventions(),
                                   r.medicationManagement(), r.communityResources(), r.coordination(),
                                   r.reviewSchedule(), eventId);
    }

    private static ConsentEvidence consent(ConsentPeriod<String> c, Times at, Instant firstCounted) {
        ConsentEnd<String> end = c.end();
        String endedBy = end == null ? null
                : end.kind() == ConsentEnd.Kind.REVOKED ? "REVOKED: " + end.reason() : "PRACTITIONER_CHANGED";
        Boolean before = firstCounted == null ? null : !c.obtainedAt().isAfter(firstCounted);
        String relative = firstCounted == null ? null : relative(c.obtainedAt(), firstCounted);
        return new ConsentEvidence(c.decision().name(), c.method().name(), at.of(c.obtainedAt()), c.obtainedBy(),
                                   c.practitioner().value(), c.documentRef(), c.disclosures().availability(),
                                   c.disclosures().costSharing(), c.disclosures().onePractitionerPerMonth(),
                                   c.disclosures().rightToStop(), at.of(end == null ? null : end.revokedAt()),
                                   at.of(c.until()), endedBy, at.of(firstCounted), before, relative, c.source());
    }

    /** "12 days before", "3 hours after" the first counted minute. */
    static String relative(Instant obtained, Instant firstCounted) {
        Duration gap = Duration.between(obtained, firstCounted);
        String side = gap.isNegative() ? " after" : " before";
        Duration abs = gap.abs();
        if (abs.toDays() >= 1) {
            return abs.toDays() + (abs.toDays() == 1 ? " day" : " days") + side;
        }
        if (abs.toHours() >= 1) {
            return abs.toHours() + (abs.toHours() == 1 ? " hour" : " hours") + side;
        }
        return abs.toMinutes() + (abs.toMinutes() == 1 ? " minute" : " minutes") + side;
    }

    private static String actor(Map<String, Object> meta) {
        Object actor = meta.get(Provenance.ACTOR);
        return actor == null ? null : actor.toString();
    }

    /** Instants as the billing location's wall-clock time with its offset. */
    record Times(ZoneId zone) {

        OffsetDateTime of(Instant instant) {
            return instant == null ? null : instant.atZone(zone).toOffsetDateTime();
        }
    }
}
