package org.ccmledger.enrollment;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.CorrectCareMinutes;
import org.ccmledger.caretime.api.LogCareMinutes;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.VoidCareMinutes;
import org.ccmledger.platform.problem.Refusal;

/**
 * The care-time entries logged for a patient, as corrected and voided (P4). Part of the {@link PatientEnrollment}
 * aggregate: it decides which event a care-time command gives, or refuses it.
 */
final class TimeEntries {

    record Entry(Instant startedAt, int minutes, Performer performer, boolean voided) {
    }

    /** Whether care time from a start for some minutes may count for the patient (consent, end of care). */
    @FunctionalInterface
    interface CareWindow {
        void assertAuthorized(Instant startedAt, int minutes);
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /** R3, P2, R8: the event a new entry gives, or a refusal. */
    CareMinutesLogged log(LogCareMinutes command, CareWindow window) {
        if (!command.performer().role().countsTowardCcm()) {
            throw Refusal.rule("NON_CLINICAL_TIME", "R3", "time of non-clinical staff never counts toward CCM (R3)");
        }
        Guards.assertMinutesPlausible(command.minutes());
        Guards.assertNotInFuture(command.startedAt(), command.minutes());
        window.assertAuthorized(command.startedAt(), command.minutes());
        if (contains(command.entryId().value())) {
            throw Refusal.conflict("DUPLICATE_ENTRY_ID", "a time entry with this entryId is already logged");
        }
        return new CareMinutesLogged(command.enrollmentId(), command.entryId(), command.performer(),
                                     command.startedAt(), command.minutes(), command.activity(), command.note());
    }

    /** P4: a correction obeys the rules of a new entry and changes something. */
    CareMinutesCorrected correct(CorrectCareMinutes command, CareWindow window) {
        Entry entry = ownLive(command.entryId().value(), command.requestedBy());
        int minutes = command.minutes() == null ? entry.minutes() : command.minutes();
        Instant startedAt = command.startedAt() == null ? entry.startedAt() : command.startedAt();
        Guards.assertMinutesPlausible(minutes);
        Guards.assertNotInFuture(startedAt, minutes);
        window.assertAuthorized(startedAt, minutes);
        if (minutes == entry.minutes() && startedAt.equals(entry.startedAt())) {
            throw Refusal.rule("NOTHING_TO_CORRECT", "P4", "the correction changes neither minutes nor start");
        }
        return new CareMinutesCorrected(command.enrollmentId(), command.entryId(), entry.startedAt(),
                                        entry.minutes(), startedAt, minutes, command.reason());
    }

    /** P4: a void of a live entry. */
    CareMinutesVoided voidEntry(VoidCareMinutes command) {
        ownLive(command.entryId().value(), command.requestedBy());
        return new CareMinutesVoided(command.enrollmentId(), command.entryId(), command.reason());
    }

    /** A live entry the requester performed: a person corrects and voids only their own time. */
    private Entry ownLive(String entryId, String requestedBy) {
        Entry entry = live(entryId);
        if (!entry.performer().id().equals(requestedBy)) {
            throw Refusal.forbidden("NOT_OWN_ENTRY", "only the person who performed the care may correct or void "
                    + "its time entry");
        }
        return entry;
    }

    private Entry live(String entryId) {
        Entry entry = get(entryId).orElseThrow(
                () -> Refusal.notFound("UNKNOWN_ENTRY", "no time entry with this entryId for this patient"));
        if (entry.voided()) {
            throw Refusal.conflict("ENTRY_VOIDED", "this time entry was voided");
        }
        return entry;
    }

    boolean contains(String entryId) {
        return entries.containsKey(entryId);
    }

    Optional<Entry> get(String entryId) {
        return Optional.ofNullable(entries.get(entryId));
    }

    /** Whether a live (not voided) entry runs past {@code instant}. */
    boolean anyLiveEndingAfter(Instant instant) {
        return entries.values().stream().anyMatch(
                e -> !e.voided() && e.startedAt().plusSeconds(60L * e.minutes()).isAfter(instant));
    }

    void logged(String entryId, Instant startedAt, int minutes, Performer performer) {
        entries.put(entryId, new Entry(startedAt, minutes, performer, false));
    }

    void corrected(String entryId, Instant startedAt, int minutes) {
        entries.computeIfPresent(entryId, (id, e) -> new Entry(startedAt, minutes, e.performer(), e.voided()));
    }

    void voided(String entryId) {
        entries.computeIfPresent(entryId, (id, e) -> new Entry(e.startedAt(), e.minutes(), e.performer(), true));
    }
}
