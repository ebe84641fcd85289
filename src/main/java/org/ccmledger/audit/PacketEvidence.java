package org.ccmledger.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ccmledger.audit.AuditPacket.CarePlanVersion;
import org.ccmledger.audit.AuditPacket.Change;
import org.ccmledger.audit.AuditPacket.ConsentEvidence;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.consent.api.ConsentEnd;
import org.ccmledger.consent.api.ConsentPeriod;
import org.ccmledger.ledger.StoredEvent;
import org.ccmledger.platform.axon.Provenance;

/**
 * The audit packet's evidence as the packet shows it, made from what the ledger recorded: a time entry with its
 * history and lateness, a care-plan version, a consent decision with its distance from the first counted minute,
 * all in the billing location's wall-clock time ({@link Times}). No I/O.
 */
final class PacketEvidence {

    private PacketEvidence() {
    }

    /** A time entry as it stands now, with its history. */
    static final class EntryHistory {
        final CareMinutesLogged logged;
        final Instant recordedAt;
        final String recordedBy;
        final String eventId;
        /** When the product the practice came from recorded it, for an imported entry; else {@code null}. */
        final Instant originallyRecordedAt;
        Instant startedAt;
        int minutes;
        String status = "LIVE";
        final List<Revision> changes = new ArrayList<>();

        /** A correction or a void of the entry, as recorded: the times are the ledger's instants. */
        record Revision(String kind, Instant recordedAt, String actor, String reason, Instant previousStartedAt,
                        Integer previousMinutes, Instant startedAt, Integer minutes, String eventId) {
        }

        EntryHistory(CareMinutesLogged logged, Instant recordedAt, String recordedBy, String eventId,
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
            changes.add(new Revision("CORRECTED", stored.recordedAt(), actor, e.reason(), e.previousStartedAt(),
                                     e.previousMinutes(), e.startedAt(), e.minutes(), stored.eventIdentifier()));
            startedAt = e.startedAt();
            minutes = e.minutes();
            status = "CORRECTED";
        }

        void voided(CareMinutesVoided e, StoredEvent stored, String actor) {
            changes.add(new Revision("VOIDED", stored.recordedAt(), actor, e.reason(), null, null, null, null,
                                     stored.eventIdentifier()));
            status = "VOIDED";
        }

        boolean touches(Instant start, Instant end) {
            if (overlaps(logged.startedAt(), logged.minutes(), start, end)) {
                return true;
            }
            return changes.stream().anyMatch(c -> c.startedAt() != null
                                                  && overlaps(c.startedAt(), c.minutes(), start, end));
        }

        private static boolean overlaps(Instant from, int minutes, Instant start, Instant end) {
            return from.isBefore(end) && from.plusSeconds(60L * minutes).isAfter(start);
        }
    }

    static AuditPacket.TimeEntry entry(EntryHistory t, Times at, int lateDays) {
        Instant ended = t.logged.startedAt().plusSeconds(60L * t.logged.minutes());
        // an imported entry was documented when the product the practice came from recorded it, not when imported
        Instant documented = t.originallyRecordedAt != null ? t.originallyRecordedAt : t.recordedAt;
        long daysAfter = Math.max(0, Duration.between(ended, documented).toDays());
        boolean late = documented.isAfter(ended.plus(Duration.ofDays(lateDays)));
        List<Change> changes = t.changes.stream().map(c -> new Change(
                c.kind(), at.of(c.recordedAt()), c.actor(), c.reason(), at.of(c.previousStartedAt()),
                c.previousMinutes(), at.of(c.startedAt()), c.minutes(), c.eventId())).toList();
        return new AuditPacket.TimeEntry(t.logged.entryId().value(), t.logged.performer().id(),
                                         t.logged.performer().role().name(), t.logged.activity().name(),
                                         t.logged.note(), at.of(t.logged.startedAt()), t.logged.minutes(), t.status,
                                         at.of(t.recordedAt), t.recordedBy, daysAfter, late, changes, t.eventId,
                                         at.of(t.originallyRecordedAt));
    }

    static CarePlanVersion version(CarePlanRevised r, Times at, String eventId) {
        return new CarePlanVersion(r.version(), at.of(r.revisedAt()), r.revisedBy(), r.substantialRevision(),
                                   at.of(r.sharedWithPatientAt()), r.problems(), r.expectedOutcome(),
                                   r.measurableGoals(), r.symptomManagement(), r.plannedInterventions(),
                                   r.medicationManagement(), r.communityResources(), r.coordination(),
                                   r.reviewSchedule(), eventId);
    }

    static ConsentEvidence consent(ConsentPeriod<String> c, Times at, Instant firstCounted) {
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

    static String actor(Map<String, Object> meta) {
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
