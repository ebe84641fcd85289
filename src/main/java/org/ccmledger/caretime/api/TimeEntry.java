package org.ccmledger.caretime.api;

import java.time.Instant;
import java.util.List;

/**
 * A time entry as it stands after its corrections and voids (P4): who performed it, when it started and for how many
 * minutes, whether it was voided, and what the caller keeps of each event that made it so (logging first).
 *
 * @param <S> what the caller keeps of each event
 */
public record TimeEntry<S>(String entryId, Performer performer, Instant startedAt, int minutes, boolean voided,
                           List<S> sources) {

    public TimeEntry {
        sources = List.copyOf(sources);
    }

    /** The first instant after the entry. */
    public Instant end() {
        return startedAt.plusSeconds(60L * minutes);
    }

    /** Whether it overlaps {@code [from, to)}. */
    public boolean overlaps(Instant from, Instant to) {
        return startedAt.isBefore(to) && end().isAfter(from);
    }

    TimeEntry<S> changed(Instant newStart, int newMinutes, boolean newVoided, S source) {
        List<S> all = new java.util.ArrayList<>(sources);
        if (source != null) {
            all.add(source);
        }
        return new TimeEntry<>(entryId, performer, newStart, newMinutes, newVoided, all);
    }
}
