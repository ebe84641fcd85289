package org.ccmledger.console;

import static org.ccmledger.platform.web.Blocking.blocking;


import org.ccmledger.audit.api.AuditEventLog;
import org.ccmledger.audit.api.AuditEventLog.Filters;
import org.ccmledger.integrity.api.LedgerIntegrity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A practice's audit pages: the event log with its filters, paged by cursor and exported whole as NDJSON (the
 * auditor's, as {@code GET …/audit/events}); the access log (the auditor's and compliance officer's, as
 * {@code GET …/audit/access-log}); and a patient's streams verified (as {@code GET …/patients/{id}/verification}).
 * Filters are a GET form; they name at most the practice's own patient id, never a name.
 */
@Controller
class AuditPagesController {

    private static final String PRACTICE = "/console/practices/{practiceId}";
    static final int PAGE_SIZE = 50;

    private final AuditEventLog log;
    private final LedgerIntegrity integrity;

    AuditPagesController(AuditEventLog log, LedgerIntegrity integrity) {
        this.log = log;
        this.integrity = integrity;
    }

    @GetMapping(PRACTICE + "/events")
    Mono<Rendering> events(@PathVariable String practiceId, Filters filters,
                           @RequestParam(defaultValue = "0") long after,
                           @RequestParam(defaultValue = "" + PAGE_SIZE) int limit) {
        Filters shown = filters == null ? Filters.NONE : filters;
        return Pages.rendered(blocking(() -> log.events(practiceId, shown, after, limit))
                .map(page -> Rendering.view("console/events").modelAttribute("practiceId", practiceId)
                                      .modelAttribute("limit", limit)
                                      .modelAttribute("filters", shown).modelAttribute("after", after)
                                      .modelAttribute("page", page)
                                      .modelAttribute("query", query(shown, limit)).build()));
    }

    /** The whole filtered log, one event per line as the API writes it, streamed from the store as it is read. */
    @GetMapping(PRACTICE + "/events/export.ndjson")
    Mono<ResponseEntity<Flux<?>>> eventExport(@PathVariable String practiceId, Filters filters,
                                              @RequestParam(defaultValue = "0") long after) {
        Filters asked = filters == null ? Filters.NONE : filters;
        // the filters are checked before the response starts: a bad one is a problem, not a broken download
        return blocking(() -> log.eventStream(practiceId, asked, after))
                .map(events -> ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson"))
                                             .header(HttpHeaders.CONTENT_DISPOSITION,
                                                     "attachment; filename=\"events-" + practiceId + ".ndjson\"")
                                             .body(events));
    }

    @GetMapping(PRACTICE + "/access-log")
    Mono<Rendering> accessLog(@PathVariable String practiceId, @RequestParam(required = false) String patient,
                              @RequestParam(required = false) String actor,
                              @RequestParam(defaultValue = "0") long after,
                              @RequestParam(defaultValue = "" + PAGE_SIZE) int limit) {
        Filters shown = new Filters(patient, null, actor, null, null, null, null);
        return Pages.rendered(blocking(() -> log.accessLog(practiceId, patient, actor, after, limit))
                .map(page -> Rendering.view("console/access-log").modelAttribute("practiceId", practiceId)
                                      .modelAttribute("filters", shown).modelAttribute("after", after)
                                      .modelAttribute("page", page)
                                      .modelAttribute("query", query(shown, limit)).build()));
    }

    /** The whole filtered access log, one read a line as the API writes it, streamed from the store. */
    @GetMapping(PRACTICE + "/access-log/export.ndjson")
    Mono<ResponseEntity<Flux<?>>> accessLogExport(@PathVariable String practiceId,
                                                  @RequestParam(required = false) String patient,
                                                  @RequestParam(required = false) String actor,
                                                  @RequestParam(defaultValue = "0") long after) {
        return Mono.just(ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson"))
                                       .header(HttpHeaders.CONTENT_DISPOSITION,
                                               "attachment; filename=\"access-log-" + practiceId + ".ndjson\"")
                                       .body(log.accessLogStream(practiceId, patient, actor, after)));
    }

    @GetMapping(PRACTICE + "/patients/{patientId}/verification")
    Mono<Rendering> verification(@PathVariable String practiceId, @PathVariable String patientId,
                                 @RequestParam(required = false) String months) {
        return Pages.rendered(blocking(() -> integrity.verifyPatient(practiceId, patientId, months))
                .map(check -> Rendering.view("console/verification").modelAttribute("practiceId", practiceId)
                                       .modelAttribute("patientId", patientId)
                                       .modelAttribute("months", months == null ? "" : months)
                                       .modelAttribute("check", check).build()));
    }

    /** The patient's timeline, corrections linked to what they correct (compliance, as GET .../timeline). */
    @GetMapping(PRACTICE + "/patients/{patientId}/timeline")
    Mono<Rendering> timeline(@PathVariable String practiceId, @PathVariable String patientId) {
        return Pages.rendered(blocking(() -> log.timeline(practiceId, patientId))
                .map(entries -> Rendering.view("console/timeline").modelAttribute("practiceId", practiceId)
                                         .modelAttribute("patientId", patientId)
                                         .modelAttribute("entries", entries).build()));
    }

    /**
     * The filters (and a page size other than the default) as a query string for the next page's and the export's
     * links, blank ones left out.
     */
    static String query(Filters f, int limit) {
        org.springframework.web.util.UriComponentsBuilder b = org.springframework.web.util.UriComponentsBuilder
                .newInstance();
        add(b, "patient", f.patient());
        add(b, "type", f.type());
        add(b, "actor", f.actor());
        add(b, "recordedFrom", f.recordedFrom());
        add(b, "recordedTo", f.recordedTo());
        add(b, "performedFrom", f.performedFrom());
        add(b, "performedTo", f.performedTo());
        add(b, "limit", limit == PAGE_SIZE ? null : String.valueOf(limit));
        return b.build().encode().getQuery() == null ? "" : b.build().encode().getQuery();
    }

    private static void add(org.springframework.web.util.UriComponentsBuilder b, String name, String value) {
        if (value != null && !value.isBlank()) {
            b.queryParam(name, value.strip());
        }
    }
}
