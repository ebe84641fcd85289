package org.ccmledger.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.axonframework.queryhandling.QueryHandler;
import org.ccmledger.audit.api.AuditPacketFiles;
import org.ccmledger.audit.api.FindPatientEvents;
import org.ccmledger.audit.api.FindPatientEvents.RecordedPatientEvent;
import org.ccmledger.audit.api.PatientDataAccessed;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.axon.ProcessorCatchUp;
import org.ccmledger.platform.axon.StoredEventPayloads;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.stereotype.Component;

/** What the console reads of the audit feature: a patient's events as of an instant, and audit packets as PDF. */
@Component
class ConsoleAuditReads implements AuditPacketFiles {

    private final AuditLog log;
    private final AuditPackets packets;
    private final ProcessorCatchUp catchUp;
    private final StoredEventPayloads payloads;

    ConsoleAuditReads(AuditLog log, AuditPackets packets, ProcessorCatchUp catchUp, StoredEventPayloads payloads) {
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
}
