package org.ccmledger.enrollment;

import java.time.Instant;

import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.CareTimeEntries;
import org.ccmledger.caretime.api.CareTimeOwnership;
import org.ccmledger.caretime.api.CorrectCareMinutes;
import org.ccmledger.caretime.api.LogCareMinutes;
import org.ccmledger.caretime.api.TimeEntry;
import org.ccmledger.caretime.api.VoidCareMinutes;
import org.ccmledger.platform.problem.Refusal;

/**
 * The care-time entries logged for a patient, as corrected and voided (P4): decisions on the entry fold of
 * {@code caretime.api} ({@link CareTimeEntries}), the same fold billing and the minutes read model count from. Part of
 * the {@link PatientEnrollment} aggregate: it decides which event a care-time command gives, or refuses it; whose time
 * a person may record is {@link CareTimeOwnership}'s to say.
 */
final class TimeEntries {

    /** Whether care time from a start for some minutes may count for the patient (consent, end of care). */
    @FunctionalInterface
    interface CareWindow {
        void assertAuthorized(Instant startedAt, int minutes);
    }

    private CareTimeEntries<Void> entries = CareTimeEntries.none();

    void apply(Object event) {
        entries = entries.apply(event, null);
    }

    /** R3, P2, R8: the event a new entry gives, or a refusal. */
    CareMinutesLogged log(LogCareMinutes command, CareWindow window) {
        CareTimeOwnership.assertMayLog(command.performer(), command.requester());
        if (!command.performer().role().countsTowardCcm()) {
            throw Refusal.rule("NON_CLINICAL_TIME", "R3", "time of non-clinical staff never counts toward CCM (R3)");
        }
        Guards.assertMinutesPlausible(command.minutes());
        Guards.assertNotInFuture(command.startedAt(), command.minutes());
        window.assertAuthorized(command.startedAt(), command.minutes());
        if (entries.get(command.entryId().value()).isPresent()) {
            throw Refusal.conflict("DUPLICATE_ENTRY_ID", "a time entry with this entryId is already logged");
        }
        return new CareMinutesLogged(command.enrollmentId(), command.entryId(), command.performer(),
                                     command.startedAt(), command.minutes(), command.activity(), command.note());
    }

    /** P4: a correction obeys the rules of a new entry and changes something. */
    CareMinutesCorrected correct(CorrectCareMinutes command, CareWindow window) {
        TimeEntry<Void> entry = ownLive(command.entryId().value(), command.requestedBy());
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

    /**
     * P4: a fact that ends care or consent at {@code instant}, recorded after time that runs past it, would leave that
     * time counted without consent or enrollment: the entries are voided or corrected first, explicitly.
     */
    void assertNoLiveTimeAfter(Instant instant, String rule) {
        if (entries.anyLiveEndingAfter(instant)) {
            throw Refusal.rule("LOGGED_TIME_AFTER_EFFECTIVE_DATE", rule, "care time is logged after this takes "
                    + "effect; void or correct those entries first (P4)");
        }
    }

    /** A live entry the requester performed. */
    private TimeEntry<Void> ownLive(String entryId, String requestedBy) {
        TimeEntry<Void> entry = entries.get(entryId).orElseThrow(
                () -> Refusal.notFound("UNKNOWN_ENTRY", "no time entry with this entryId for this patient"));
        if (entry.voided()) {
            throw Refusal.conflict("ENTRY_VOIDED", "this time entry was voided");
        }
        CareTimeOwnership.assertOwnEntry(entry, requestedBy);
        return entry;
    }
}
