package org.ccmledger.audit;

import java.time.Instant;

import org.ccmledger.platform.ids.IdFormat;
import org.ccmledger.platform.problem.Refusal;

/**
 * A query of a practice's event log: every filter optional, results in global-index order after the cursor.
 *
 * @param practiceId    the practice
 * @param patientId     only this patient's events (their enrollment, care plan, billing months and access records)
 * @param type          only events of this type (simple name, e.g. {@code CareMinutesLogged}, or the full name)
 * @param actor         only events whose metadata names this actor
 * @param recordedFrom  recorded at or after (the ledger's time)
 * @param recordedTo    recorded before
 * @param performedFrom performed at or after (the time the event is about: a time entry's start, a consent's …)
 * @param performedTo   performed before
 * @param after         the cursor: only global indexes above it (0: from the start)
 * @param limit         page size for JSON (1–1000)
 */
record EventQuery(String practiceId, String patientId, String type, String actor, Instant recordedFrom,
                  Instant recordedTo, Instant performedFrom, Instant performedTo, long after, int limit) {

    static final int MAX_LIMIT = 1000;

    EventQuery {
        if (patientId != null && !IdFormat.isId(patientId)) {
            throw Refusal.malformed("INVALID_PATIENT_ID", "patient must be 1-64 letters, digits, '.', '-' or '_'");
        }
        if (after < 0) {
            throw Refusal.malformed("INVALID_CURSOR", "the cursor is a global index, 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Refusal.malformed("INVALID_LIMIT", "limit must be 1-" + MAX_LIMIT);
        }
    }

    boolean matches(AuditEvent event) {
        return (type == null || type.equals(event.type()) || type.equals(event.payloadType()))
               && (actor == null || actor.equals(event.actor()))
               && (recordedFrom == null || !event.recordedAt().isBefore(recordedFrom))
               && (recordedTo == null || event.recordedAt().isBefore(recordedTo))
               && (performedFrom == null || (event.performedAt() != null
                                             && !event.performedAt().isBefore(performedFrom)))
               && (performedTo == null || (event.performedAt() != null && event.performedAt().isBefore(performedTo)));
    }
}
