package org.ccmledger.audit;

import static org.ccmledger.platform.web.Blocking.blocking;

import java.time.Instant;
import java.util.List;

import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.web.Require;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Audit over HTTP: the event log (a page as JSON, or the whole result streamed as NDJSON), the access log, a patient's
 * history as of an instant and timeline. All reads run off the event loop; every one is itself in the access log.
 */
@RestController
class AuditController {

    private static final String PRACTICE = "/api/v1/practices/{practiceId}";
    private static final String PATIENT = PRACTICE + "/patients/{patientId}";

    private final AuditLog log;
    private final PatientHistory history;
    private final PatientTimeline timeline;
    private final AuditPackets packets;
    private final RiskScan risks;
    private final org.ccmledger.platform.web.CommandSender sender;
    private final org.ccmledger.platform.axon.ProcessorCatchUp catchUp;

    AuditController(AuditLog log, PatientHistory history, PatientTimeline timeline, AuditPackets packets,
                    org.ccmledger.platform.axon.ProcessorCatchUp catchUp,
                    RiskScan risks, org.ccmledger.platform.web.CommandSender sender) {
        this.risks = risks;
        this.sender = sender;
        this.catchUp = catchUp;
        this.log = log;
        this.history = history;
        this.timeline = timeline;
        this.packets = packets;
    }

    /**
     * The event log's filters, bound from the query string ({@code ?patient=&type=&actor=&recordedFrom=…}); every one
     * optional, instants in ISO-8601.
     */
    record EventFilters(String patient, String type, String actor, String recordedFrom, String recordedTo,
                        String performedFrom, String performedTo) {

        EventQuery query(String practiceId, long after, int limit) {
            return new EventQuery(practiceId, patient, type, actor, instant(recordedFrom, "recordedFrom"),
                                  instant(recordedTo, "recordedTo"), instant(performedFrom, "performedFrom"),
                                  instant(performedTo, "performedTo"), after, limit);
        }
    }

    @GetMapping(value = PRACTICE + "/audit/events", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<AuditLog.Page> events(@PathVariable String practiceId, EventFilters filters,
                               @RequestParam(defaultValue = "0") long after,
                               @RequestParam(defaultValue = "100") int limit) {
        EventQuery query = filters.query(practiceId, after, limit);
        return blocking(() -> log.page(query));
    }

    /** The whole result, one event per line, read from the store as the client consumes it. */
    @GetMapping(value = PRACTICE + "/audit/events", produces = "application/x-ndjson")
    Flux<AuditEvent> eventStream(@PathVariable String practiceId, EventFilters filters,
                                 @RequestParam(defaultValue = "0") long after) {
        return stream(filters.query(practiceId, after, EventQuery.MAX_LIMIT));
    }

    @GetMapping(value = PRACTICE + "/audit/access-log", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<AuditLog.Page> accessLog(@PathVariable String practiceId, @RequestParam(required = false) String patient,
                                  @RequestParam(required = false) String actor,
                                  @RequestParam(defaultValue = "0") long after,
                                  @RequestParam(defaultValue = "100") int limit) {
        return blocking(() -> accessLogPage(log, catchUp, practiceId, patient, actor, after, limit));
    }

    /** A page of the access log once the index has caught up (the API's and the console's). */
    static AuditLog.Page accessLogPage(AuditLog log, org.ccmledger.platform.axon.ProcessorCatchUp catchUp,
                                       String practiceId, String patient, String actor, long after, int limit) {
        EventQuery query = new EventQuery(practiceId, patient, "PatientDataAccessed", actor, null, null, null, null,
                                          after, limit);
        catchUp.await(AuditIndexProjection.PROCESSING_GROUP, java.time.Duration.ofSeconds(10));
        return log.page(query);
    }

    @GetMapping(value = PRACTICE + "/audit/access-log", produces = "application/x-ndjson")
    Flux<AuditEvent> accessLogStream(@PathVariable String practiceId,
                                     @RequestParam(required = false) String patient,
                                     @RequestParam(required = false) String actor,
                                     @RequestParam(defaultValue = "0") long after) {
        return accessLogStream(log, catchUp, practiceId, patient, actor, after);
    }

    /**
     * The whole access log matching, read from the store as the client consumes it once the index has caught up
     * (the API's and the console's): what was read just before is in it.
     */
    static Flux<AuditEvent> accessLogStream(AuditLog log, org.ccmledger.platform.axon.ProcessorCatchUp catchUp,
                                            String practiceId, String patient, String actor, long after) {
        EventQuery query = new EventQuery(practiceId, patient, "PatientDataAccessed", actor, null, null, null, null,
                                          after, EventQuery.MAX_LIMIT);
        return Mono.fromRunnable(() -> catchUp.await(AuditIndexProjection.PROCESSING_GROUP,
                                                     java.time.Duration.ofSeconds(10)))
                   .subscribeOn(Schedulers.boundedElastic())
                   .thenMany(Flux.defer(() -> log.stream(query)));
    }

    @GetMapping(PATIENT + "/history")
    Mono<PatientHistory.History> history(@PathVariable String practiceId, @PathVariable String patientId,
                                         @RequestParam(required = false) String asOf) {
        Instant at = asOf == null ? Instant.now() : Require.instant(asOf, "asOf");
        return blocking(() -> history.asOf(EnrollmentId.of(practiceId, patientId), at));
    }

    @GetMapping(PATIENT + "/timeline")
    Mono<List<PatientTimeline.Entry>> timeline(@PathVariable String practiceId, @PathVariable String patientId) {
        EnrollmentId id = EnrollmentId.of(practiceId, patientId);
        return blocking(() -> timeline.of(id.practiceId().value(), id.patientId().value()));
    }

    @GetMapping(value = PATIENT + "/audit-packet/{month}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<AuditPacket> packet(@PathVariable String practiceId, @PathVariable String patientId,
                             @PathVariable String month) {
        java.time.YearMonth m = Require.month(month);
        return blocking(() -> packets.packet(EnrollmentId.of(practiceId, patientId), m));
    }

    @GetMapping(value = PATIENT + "/audit-packet/{month}", produces = MediaType.APPLICATION_PDF_VALUE)
    Mono<org.springframework.http.ResponseEntity<byte[]>> packetPdf(@PathVariable String practiceId,
                                                                    @PathVariable String patientId,
                                                                    @PathVariable String month) {
        java.time.YearMonth m = Require.month(month);
        return blocking(() -> AuditPacketPdf.render(packets.packet(EnrollmentId.of(practiceId, patientId), m)))
                .map(pdf -> org.springframework.http.ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                                                                   .header("Content-Disposition",
                                                                           "attachment; filename=\"audit-packet-"
                                                                           + m + ".pdf\"")
                                                                   .body(pdf));
    }

    /** The OIG risk scan of the practice's month, as the ledger knew it at {@code asKnownAt} (default: now). */
    @GetMapping(value = PRACTICE + "/audit/risks/{month}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<RiskScan.Report> risks(@PathVariable String practiceId, @PathVariable String month,
                                @RequestParam(required = false) String asKnownAt) {
        java.time.YearMonth m = Require.month(month);
        Instant at = instant(asKnownAt, "asKnownAt");
        return blocking(() -> risks.scan(new org.ccmledger.patient.PracticeId(practiceId), m, at));
    }

    @GetMapping(value = PRACTICE + "/audit/risks/{month}", produces = "text/csv")
    Mono<org.springframework.http.ResponseEntity<String>> risksCsv(@PathVariable String practiceId,
                                                                   @PathVariable String month,
                                                                   @RequestParam(required = false) String asKnownAt) {
        java.time.YearMonth m = Require.month(month);
        Instant at = instant(asKnownAt, "asKnownAt");
        return blocking(() -> RiskScan.csv(risks.scan(new org.ccmledger.patient.PracticeId(practiceId), m, at)))
                .map(csv -> org.springframework.http.ResponseEntity.ok()
                                                                   .contentType(MediaType.parseMediaType(
                                                                           "text/csv;charset=UTF-8"))
                                                                   .body(csv));
    }

    record ReviewRequest(String patientId, String risk, org.ccmledger.audit.api.ReviewDecision decision,
                         String reference, String note) {
    }

    /** Records a compliance officer's decision on a finding; 404 for a patient the practice never enrolled. */
    @org.springframework.web.bind.annotation.PostMapping(PRACTICE + "/audit/risks/{month}/reviews")
    Mono<org.springframework.http.ResponseEntity<java.util.Map<String, String>>> review(
            @PathVariable String practiceId, @PathVariable String month,
            @org.springframework.web.bind.annotation.RequestBody ReviewRequest body,
            org.springframework.http.server.reactive.ServerHttpRequest request) {
        java.time.YearMonth m = Require.month(month);
        String patientId = Require.present(body.patientId(), "patientId");
        EnrollmentId patient = EnrollmentId.of(practiceId, patientId);
        var command = new org.ccmledger.audit.api.RecordRiskReview(
                new org.ccmledger.audit.api.RiskReviewsId(patient.practiceId(), m), patientId,
                Require.present(body.risk(), "risk"), body.decision(), body.reference(), body.note());
        return blocking(() -> packets.enrolled(patient))
                .flatMap(known -> known ? sender.created(command, request, java.util.Map.of(
                                                  "patientId", patientId, "risk", body.risk()))
                        : Mono.error(org.ccmledger.platform.problem.Refusal.notFound(
                                "UNKNOWN_PATIENT", "no such patient in this practice")));
    }

    private Flux<AuditEvent> stream(EventQuery query) {
        return log.stream(query);
    }

    private static Instant instant(String value, String field) {
        return value == null ? null : Require.instant(value, field);
    }
}
