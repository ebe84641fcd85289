package org.ccmledger.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.axonframework.queryhandling.QueryHandler;
import org.ccmledger.audit.api.AuditEventLog;
import org.ccmledger.audit.api.AuditPacketFiles;
import org.ccmledger.audit.api.FindPatientEvents;
import org.ccmledger.audit.api.FindPatientEvents.RecordedPatientEvent;
import org.ccmledger.audit.api.PatientDataAccessed;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.axon.ProcessorCatchUp;
import org.ccmledger.platform.axon.StoredEventPayloads;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

/**
 * What the console reads of the audit feature: a patient's events as of an instant, audit packets as PDF, and the
 * practice's event log and access log (through the same queries and stream as the API's).
 */
@Component
class ConsoleAuditReads implements AuditPacketFiles, AuditEventLog {

    private final AuditLog log;
    private final AuditPackets packets;
    private final ProcessorCatchUp catchUp;
    private final StoredEventPayloads payloads;
    private final PatientTimeline timeline;

    ConsoleAuditReads(AuditLog log, AuditPackets packets, ProcessorCatchUp catchUp, StoredEventPayloads payloads,
                      PatientTimeline timeline) {
        this.timeline = timeline;
        this.log = log;
        this.packets = packets;
        this.catchUp = catchUp;
        this.payloads = payloads;
    }

    /** Once the index has caught up with every event stored before the call, like the timeline. */
    @QueryHandler
    List<RecordedPatientEvent> handle(FindPatientEvents query) {
        catchUp.await(AuditIndexProjection.PROCESSING_GROUP, Duration.ofSeconds(10));
        EnrollmentId id = query.enrollmentId();
        // recordedTo is exclusive: an event recorded at the very instant asked for is one the ledger knew then
        Instant before = query.asOf() == null ? null : query.asOf().plusMillis(1);
        Iterator<AuditEvent> events = log.events(new EventQuery(id.practiceId().value(), id.patientId().value(),
                                                                null, null, null, before, null, null, 0,
                                                                EventQuery.MAX_LIMIT));
        List<RecordedPatientEvent> found = new ArrayList<>();
        events.forEachRemaining(e -> {
            Object payload = payloads.payload(e.payloadType(), e.revision(), e.payload());
            if (!(payload instanceof PatientDataAccessed)) {
                found.add(new RecordedPatientEvent(e.eventId(), e.type(), e.recordedAt(), e.performedAt(),
                                                   e.actor(), payload));
            }
        });
        if (found.isEmpty()) {
            throw Refusal.notFound("UNKNOWN_PATIENT", query.asOf() == null ? "no such patient in this practice"
                    : "the ledger knew no such patient in this practice then");
        }
        return found;
    }

    @Override
    public byte[] pdf(EnrollmentId patient, YearMonth month) {
        return AuditPacketPdf.render(packets.packet(patient, month));
    }

    @Override
    public AuditEventLog.EventPage events(String practiceId, Filters filters, long after, int limit) {
        return page(log.page(query(practiceId, filters, after, limit)));
    }

    @Override
    public reactor.core.publisher.Flux<?> eventStream(String practiceId, Filters filters, long after) {
        return log.stream(query(practiceId, filters, after, EventQuery.MAX_LIMIT));
    }

    @Override
    public AuditEventLog.EventPage accessLog(String practiceId, String patient, String actor, long after, int limit) {
        return page(AuditController.accessLogPage(log, catchUp, practiceId, blankless(patient), blankless(actor),
                                                  after, limit));
    }

    @Override
    public reactor.core.publisher.Flux<?> accessLogStream(String practiceId, String patient, String actor,
                                                          long after) {
        return AuditController.accessLogStream(log, catchUp, practiceId, blankless(patient), blankless(actor), after);
    }

    @Override
    public List<PatientTimelineEntry> timeline(String practiceId, String patientId) {
        EnrollmentId id = EnrollmentId.of(practiceId, patientId);
        return timeline.of(id.practiceId().value(), id.patientId().value()).stream()
                       .map(t -> new PatientTimelineEntry(event(t.event()), t.event().eventId(), t.corrects(),
                                                   t.correctedBy()))
                       .toList();
    }

    /** The API's filters, a blank form field being no filter. */
    private static EventQuery query(String practiceId, Filters f, long after, int limit) {
        return new AuditController.EventFilters(blankless(f.patient()), blankless(f.type()), blankless(f.actor()),
                                                blankless(f.recordedFrom()), blankless(f.recordedTo()),
                                                blankless(f.performedFrom()), blankless(f.performedTo()))
                .query(practiceId, after, limit);
    }

    private static String blankless(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static AuditEventLog.EventPage page(AuditLog.Page page) {
        return new AuditEventLog.EventPage(page.events().stream().map(ConsoleAuditReads::event).toList(),
                                      page.nextCursor());
    }

    private static Event event(AuditEvent e) {
        return new Event(e.globalIndex(), e.aggregateId(), e.sequence(), e.type(), e.recordedAt(), e.performedAt(),
                         e.actor(), e.requestId(), e.payload(), e.hash());
    }
}
