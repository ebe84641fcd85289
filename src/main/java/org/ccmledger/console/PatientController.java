package org.ccmledger.console;

import static org.ccmledger.platform.web.Blocking.blocking;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import org.ccmledger.audit.api.AuditPacketFiles;
import org.ccmledger.caretime.api.CareActivity;
import org.ccmledger.caretime.api.CorrectCareMinutes;
import org.ccmledger.caretime.api.LogCareMinutes;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntryId;
import org.ccmledger.caretime.api.VoidCareMinutes;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.security.BreakGlass;
import org.ccmledger.platform.security.Caller;
import org.ccmledger.platform.security.ConsoleBreakGlass;
import org.ccmledger.platform.security.Callers;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Require;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * A patient's page, and the care-time forms on it: log, correct and void one's own time. A form sends the same
 * command the API's care-minutes endpoints send; a refusal comes back in words next to the form, with its rule.
 */
@Controller
class PatientController {

    private static final String PATIENT = "/console/practices/{practiceId}/patients/{patientId}";

    private final PatientPages pages;
    private final CommandSender sender;
    private final AuditPacketFiles packets;

    private final BreakGlass breakGlass;

    PatientController(PatientPages pages, CommandSender sender, AuditPacketFiles packets, BreakGlass breakGlass) {
        this.pages = pages;
        this.sender = sender;
        this.packets = packets;
        this.breakGlass = breakGlass;
    }

    /** {@code asOf}: an instant in UTC ({@code yyyy-MM-ddTHH:mm[:ss]}), the time-travel control's. */
    @GetMapping(PATIENT)
    Mono<Rendering> patient(@PathVariable String practiceId, @PathVariable String patientId,
                            @RequestParam(required = false) String month,
                            @RequestParam(required = false) String asOf, ServerWebExchange exchange) {
        EnrollmentId id = EnrollmentId.of(practiceId, patientId);
        YearMonth m = month == null || month.isBlank() ? YearMonth.now(ZoneOffset.UTC) : Require.month(month);
        Instant at = asOf == null || asOf.isBlank() ? null : utc(asOf);
        String emergency = exchange.getAttribute(BreakGlass.REASON);
        return Callers.current().flatMap(caller -> pages.page(caller, id, m, at, null, emergency));
    }

    /**
     * Emergency access from the refusal page: with a reason a reviewer can judge and a role the practice allows, the
     * session may open this patient's page for {@link ConsoleBreakGlass#LASTS}; each page opened so is an emergency
     * read in the access log.
     */
    @PostMapping(PATIENT + "/break-glass")
    Mono<ResponseEntity<Void>> breakGlass(@PathVariable String practiceId, @PathVariable String patientId,
                                          ServerWebExchange exchange) {
        EnrollmentId id = EnrollmentId.of(practiceId, patientId);
        return Mono.zip(Callers.current(), exchange.getFormData(), exchange.getSession()).flatMap(all -> {
            String reason = all.getT2().getFirst("reason") == null ? null : all.getT2().getFirst("reason").strip();
            if (!BreakGlass.validReason(reason)) {
                return Mono.error(Refusal.malformed("INVALID_BREAK_GLASS_REASON",
                                                    "State the emergency in 10-500 characters (no < or >)"));
            }
            return breakGlass.allowedRole(all.getT1(), practiceId).flatMap(role -> {
                if (role.isEmpty()) {
                    breakGlass.refused(all.getT1());
                    return Mono.error(Refusal.forbidden("BREAK_GLASS_NOT_ALLOWED", BreakGlass.NOT_ALLOWED));
                }
                ConsoleBreakGlass.grant(all.getT3(), practiceId, patientId, reason, role.get());
                return Mono.just(ResponseEntity.status(HttpStatus.SEE_OTHER)
                                               .location(java.net.URI.create("/console/practices/"
                                                       + id.practiceId().value() + "/patients/"
                                                       + id.patientId().value()))
                                               .<Void>build());
            });
        });
    }

    @PostMapping(PATIENT + "/care-minutes")
    Mono<Rendering> log(@PathVariable String practiceId, @PathVariable String patientId,
                        ServerWebExchange exchange) {
        EnrollmentId id = EnrollmentId.of(practiceId, patientId);
        return Pages.rendered(Mono.zip(Callers.current(), exchange.getFormData()).flatMap(both -> {
            Caller caller = both.getT1();
            MultiValueMap<String, String> form = both.getT2();
            ZoneId zone = zoneOf(form);
            // people log a call or a task when it is done: the form asks when it finished (default: now)
            String endedAt = form.getFirst("endedAt");
            String minutes = form.getFirst("minutes");
            String role = form.getFirst("role");
            String activity = form.getFirst("activity");
            String note = form.getFirst("note");
            YearMonth month = month(form);
            PatientPages.FormState state = new PatientPages.FormState("log", null, null, null, null, endedAt,
                                                                      minutes, role, activity, note, null);
            Instant end;
            int count;
            try {
                end = LocalDateTime.parse(endedAt, PatientPages.LOCAL_INPUT).atZone(zone).toInstant();
            } catch (RuntimeException e) {
                return refused(caller, id, month, state, "endedAt", "Give the end as a date and time", null);
            }
            try {
                count = Integer.parseInt(minutes.trim());
            } catch (RuntimeException e) {
                return refused(caller, id, month, state, "minutes", "Give the minutes as a whole number", null);
            }
            Instant start = end.minusSeconds(60L * count);
            PerformerRole performerRole;
            CareActivity careActivity;
            try {
                performerRole = PerformerRole.valueOf(role);
                careActivity = CareActivity.valueOf(activity);
            } catch (RuntimeException e) {
                return refused(caller, id, month, state, "role", "Pick a role and an activity", null);
            }
            TimeEntryId entryId = entryId(id, caller.user(), form.getFirst("formId"));
            LogCareMinutes command = new LogCareMinutes(id, entryId, new Performer(caller.user(), performerRole),
                                                        start, count, careActivity,
                                                        note == null || note.isBlank() ? null : note,
                                                        PatientPages.requester(caller));
            YearMonth logged = YearMonth.from(start.atZone(zone));
            return sender.send(command, exchange.getRequest())
                         .thenReturn(redirect(id, logged))
                         .onErrorResume(e -> ConsoleAdvice.refusal(e).isPresent(), e -> {
                             Refusal r = ConsoleAdvice.refusal(e).orElseThrow();
                             return refused(caller, id, month, state, field(r), r.getMessage(), r.rule());
                         });
        }));
    }

    @PostMapping(PATIENT + "/care-minutes/{entryId}/correction")
    Mono<Rendering> correct(@PathVariable String practiceId, @PathVariable String patientId,
                            @PathVariable String entryId, ServerWebExchange exchange) {
        EnrollmentId id = EnrollmentId.of(practiceId, patientId);
        return Pages.rendered(Mono.zip(Callers.current(), exchange.getFormData()).flatMap(both -> {
            Caller caller = both.getT1();
            MultiValueMap<String, String> form = both.getT2();
            YearMonth month = month(form);
            String minutes = form.getFirst("minutes");
            String reason = form.getFirst("reason");
            PatientPages.FormState state = new PatientPages.FormState("correct", entryId, null, null, null, null,
                                                                      minutes, null, null, null, reason);
            Integer count;
            try {
                count = Integer.parseInt(minutes.trim());
            } catch (RuntimeException e) {
                return refused(caller, id, month, state, "minutes", "Give the minutes as a whole number", null);
            }
            if (reason == null || reason.isBlank()) {
                return refused(caller, id, month, state, "reason", "Say why the entry is corrected", null);
            }
            CorrectCareMinutes command = new CorrectCareMinutes(id, new TimeEntryId(entryId), count, null,
                                                                reason.trim(), caller.user());
            return sender.send(command, exchange.getRequest()).thenReturn(redirect(id, month))
                         .onErrorResume(e -> ConsoleAdvice.refusal(e).isPresent(), e -> {
                             Refusal r = ConsoleAdvice.refusal(e).orElseThrow();
                             return refused(caller, id, month, state, "minutes", r.getMessage(), r.rule());
                         });
        }));
    }

    @PostMapping(PATIENT + "/care-minutes/{entryId}/void")
    Mono<Rendering> voidEntry(@PathVariable String practiceId, @PathVariable String patientId,
                              @PathVariable String entryId, ServerWebExchange exchange) {
        EnrollmentId id = EnrollmentId.of(practiceId, patientId);
        return Pages.rendered(Mono.zip(Callers.current(), exchange.getFormData()).flatMap(both -> {
            Caller caller = both.getT1();
            MultiValueMap<String, String> form = both.getT2();
            YearMonth month = month(form);
            String reason = form.getFirst("reason");
            PatientPages.FormState state = new PatientPages.FormState("void", entryId, null, null, null, null,
                                                                      null, null, null, null, reason);
            if (reason == null || reason.isBlank()) {
                return refused(caller, id, month, state, "reason", "Say why the entry is voided", null);
            }
            VoidCareMinutes command = new VoidCareMinutes(id, new TimeEntryId(entryId), reason.trim(),
                                                          caller.user());
            return sender.send(command, exchange.getRequest()).thenReturn(redirect(id, month))
                         .onErrorResume(e -> ConsoleAdvice.refusal(e).isPresent(), e -> {
                             Refusal r = ConsoleAdvice.refusal(e).orElseThrow();
                             return refused(caller, id, month, state, "reason", r.getMessage(), r.rule());
                         });
        }));
    }

    /** The month's audit packet as PDF, as {@code GET .../audit-packet/{month}} serves it. */
    @GetMapping(PATIENT + "/audit-packet/{month}")
    Mono<ResponseEntity<byte[]>> packet(@PathVariable String practiceId, @PathVariable String patientId,
                                        @PathVariable String month) {
        EnrollmentId id = EnrollmentId.of(practiceId, patientId);
        YearMonth m = Require.month(month);
        return blocking(() -> packets.pdf(id, m))
                   .map(pdf -> ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                                             .header(HttpHeaders.CONTENT_DISPOSITION,
                                                     "inline; filename=\"audit-packet-" + m + ".pdf\"")
                                             .body(pdf));
    }

    private Mono<Rendering> refused(Caller caller, EnrollmentId id, YearMonth month, PatientPages.FormState state,
                                    String field, String message, String rule) {
        PatientPages.FormState refused = new PatientPages.FormState(state.form(), state.entryId(), field, message,
                                                                    rule, state.endedAt(), state.minutes(),
                                                                    state.role(), state.activity(), state.note(),
                                                                    state.reason());
        return pages.page(caller, id, month, null, refused, null);
    }

    /** The field a refusal is about, by its code: most are about when the time was or how long. */
    private static String field(Refusal refusal) {
        String code = refusal.code() == null ? "" : refusal.code();
        if (code.contains("ROLE") || code.contains("PERFORMER") || code.contains("OWN")) {
            return "role";
        }
        if (code.contains("MINUTES") || code.contains("DURATION")) {
            return "minutes";
        }
        return "endedAt";
    }

    private static Rendering redirect(EnrollmentId id, YearMonth month) {
        return Rendering.redirectTo("/console/practices/" + id.practiceId().value() + "/patients/"
                                    + id.patientId().value() + "?month=" + month).build();
    }

    /**
     * The entry id of a form: derived from the form's one-time id and the user, so a form sent twice (a double click,
     * a reload) conflicts with its own entry instead of logging the time twice.
     */
    private static TimeEntryId entryId(EnrollmentId id, String user, String formId) {
        if (formId == null || !formId.matches("[0-9a-f-]{36}")) {
            return TimeEntryId.random();
        }
        byte[] name = (id + "/" + user + "/console/" + formId).getBytes(StandardCharsets.UTF_8);
        return new TimeEntryId(UUID.nameUUIDFromBytes(name).toString());
    }

    private static ZoneId zoneOf(MultiValueMap<String, String> form) {
        try {
            return ZoneId.of(form.getFirst("zone"));
        } catch (RuntimeException e) {
            return ZoneOffset.UTC;
        }
    }

    private static YearMonth month(MultiValueMap<String, String> form) {
        try {
            return YearMonth.parse(form.getFirst("month"));
        } catch (RuntimeException e) {
            return YearMonth.now(ZoneOffset.UTC);
        }
    }

    private static Instant utc(String value) {
        try {
            return LocalDateTime.parse(value, java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                                .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw Refusal.malformed("INVALID_PARAMETER",
                                    "asOf is a date and time, yyyy-MM-ddTHH:mm or yyyy-MM-ddTHH:mm:ss, in UTC");
        }
    }
}
