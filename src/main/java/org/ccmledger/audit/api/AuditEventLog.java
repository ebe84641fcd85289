package org.ccmledger.audit.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;

/**
 * The practice's event log and access log as {@code GET …/audit/events} and {@code GET …/audit/access-log} show
 * them, for the console's pages of a practice's auditor and compliance officer. The page reads block; the stream
 * does not.
 */
public interface AuditEventLog {

    /**
     * The event log's filters as the API takes them, every one optional ({@code null} or blank: no filter); instants
     * in ISO-8601.
     */
    record Filters(String patient, String type, String actor, String recordedFrom, String recordedTo,
                   String performedFrom, String performedTo) {

        public static final Filters NONE = new Filters(null, null, null, null, null, null, null);
    }

    /** One event as the log shows it: where it sits, what it is, who caused it, what it says, its hash. */
    record Event(long globalIndex, String aggregateId, long sequence, String type, Instant recordedAt,
                 Instant performedAt, String actor, String requestId, Map<String, Object> payload, String hash) {
    }

    /** A page of events in global-index order; {@code nextCursor} is {@code null} on the last page. */
    record EventPage(List<Event> events, Long nextCursor) {
    }

    /** A page of the practice's event log after the cursor. */
    EventPage events(String practiceId, Filters filters, long after, int limit);

    /** The whole matching event log, one API event (as the API's NDJSON has it) per element, read lazily. */
    Flux<?> eventStream(String practiceId, Filters filters, long after);

    /** A page of the practice's access log (who read which patient's data), once the index has caught up. */
    EventPage accessLog(String practiceId, String patient, String actor, long after, int limit);

    /** The whole matching access log, one API event a line as the API's NDJSON has it, once the index has caught up. */
    Flux<?> accessLogStream(String practiceId, String patient, String actor, long after);

    /** One event of a patient's timeline: the event, the event id it corrects and the ids of what corrected it. */
    record PatientTimelineEntry(Event event, String eventId, String corrects, List<String> correctedBy) {
    }

    /**
     * The patient's timeline as {@code GET …/patients/{patientId}/timeline} shows it (access records left out),
     * corrections linked to what they correct; refused as not found for a patient the practice never enrolled.
     */
    List<PatientTimelineEntry> timeline(String practiceId, String patientId);
}
