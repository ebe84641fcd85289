package org.ccmledger.enrollment;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.ccmledger.caretime.api.PerformerRole;

/** The care-time entries logged for a patient, as corrected and voided (P4); part of the aggregate's state. */
final class TimeEntries {

    record Entry(Instant startedAt, int minutes, PerformerRole role, boolean voided) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

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

    void logged(String entryId, Instant startedAt, int minutes, PerformerRole role) {
        entries.put(entryId, new Entry(startedAt, minutes, role, false));
    }

    void corrected(String entryId, Instant startedAt, int minutes) {
        entries.computeIfPresent(entryId, (id, e) -> new Entry(startedAt, minutes, e.role(), e.voided()));
    }

    void voided(String entryId) {
        entries.computeIfPresent(entryId, (id, e) -> new Entry(e.startedAt(), e.minutes(), e.role(), true));
    }
}
