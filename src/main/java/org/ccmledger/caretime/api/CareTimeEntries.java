package org.ccmledger.caretime.api;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * P4 in one fold: a patient's time entries from their logging, correction and void events, each as the last of them
 * left it (nothing is edited or deleted in the ledger; the fold shows where each entry stands). The enrollment
 * aggregate decides with it, billing and the minutes read model count from it. Immutable: {@link #apply} returns the
 * fold with one more event.
 *
 * @param <S> what the caller keeps of each event ({@code null}: nothing)
 */
public record CareTimeEntries<S>(Map<String, TimeEntry<S>> entries) {

    public CareTimeEntries {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public static <S> CareTimeEntries<S> none() {
        return new CareTimeEntries<>(Map.of());
    }

    /** Whether the fold reads {@code event}: a time entry logged, corrected or voided. */
    public static boolean concerns(Object event) {
        return event instanceof CareMinutesLogged || event instanceof CareMinutesCorrected
               || event instanceof CareMinutesVoided;
    }

    /** The fold with {@code event} applied; a correction or void of an entry never logged changes nothing. */
    public CareTimeEntries<S> apply(Object event, S source) {
        if (event instanceof CareMinutesLogged e) {
            return with(new TimeEntry<>(e.entryId().value(), e.performer(), e.startedAt(), e.minutes(), false,
                                        source == null ? List.of() : List.of(source)));
        }
        if (event instanceof CareMinutesCorrected e) {
            return get(e.entryId().value()).map(t -> with(t.changed(e.startedAt(), e.minutes(), t.voided(), source)))
                                           .orElse(this);
        }
        if (event instanceof CareMinutesVoided e) {
            return get(e.entryId().value()).map(t -> with(t.changed(t.startedAt(), t.minutes(), true, source)))
                                           .orElse(this);
        }
        return this;
    }

    public Optional<TimeEntry<S>> get(String entryId) {
        return Optional.ofNullable(entries.get(entryId));
    }

    /** Every entry, voided ones included, in the order they were logged. */
    public Collection<TimeEntry<S>> all() {
        return entries.values();
    }

    /** Whether a live (not voided) entry runs past {@code instant}. */
    public boolean anyLiveEndingAfter(Instant instant) {
        return entries.values().stream().anyMatch(e -> !e.voided() && e.end().isAfter(instant));
    }

    private CareTimeEntries<S> with(TimeEntry<S> entry) {
        Map<String, TimeEntry<S>> all = new LinkedHashMap<>(entries);
        all.put(entry.entryId(), entry);
        return new CareTimeEntries<>(all);
    }
}
