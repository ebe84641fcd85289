package org.ccmledger.caretime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccmledger.caretime.api.CareActivity;
import org.ccmledger.caretime.api.CareTimeRequester;
import org.ccmledger.caretime.api.CorrectCareMinutes;
import org.ccmledger.caretime.api.FindMonthlyMinutes;
import org.ccmledger.caretime.api.LogCareMinutes;
import org.ccmledger.caretime.api.MonthlyMinutes;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntryId;
import org.ccmledger.caretime.api.VoidCareMinutes;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.security.Caller;
import org.ccmledger.platform.security.Callers;
import org.ccmledger.platform.security.Role;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Require;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/**
 * Care minutes over HTTP: log an entry, correct or void it (the original stays in the ledger), read a month's total.
 */
@RestController
class CareMinutesController {

    private final CommandSender sender;

    CareMinutesController(CommandSender sender) {
        this.sender = sender;
    }

    record PerformerRequest(String id, PerformerRole role) {
    }

    record LogCareMinutesRequest(String entryId, PerformerRequest performer, OffsetDateTime startedAt,
                                 Integer minutes, CareActivity activity, String note) {
    }

    /**
     * Logs care time as the caller: {@code performer.id} may be left out (it is the caller); whether the caller may log
     * it is the aggregate's to decide ({@code CareTimeOwnership}).
     */
    @PostMapping("/api/v1/practices/{practiceId}/patients/{patientId}/care-minutes")
    Mono<ResponseEntity<Map<String, String>>> log(@PathVariable String practiceId, @PathVariable String patientId,
                                                  @RequestBody LogCareMinutesRequest body,
                                                  ServerHttpRequest request) {
        PerformerRequest performer = Require.present(body.performer(), "performer");
        PerformerRole role = Require.present(performer.role(), "performer.role");
        if (performer.id() != null) {
            Require.text(performer.id(), "performer.id", 128);
        }
        if (body.note() != null) {
            Require.text(body.note(), "note", 2000);
        }
        Instant startedAt = Require.present(body.startedAt(), "startedAt").toInstant();
        int minutes = Require.present(body.minutes(), "minutes");
        CareActivity activity = Require.present(body.activity(), "activity");
        TimeEntryId requested = body.entryId() == null ? null : new TimeEntryId(body.entryId());
        String idempotencyKey = request.getHeaders().getFirst("Idempotency-Key");
        return Callers.current().flatMap(caller -> {
            TimeEntryId entryId = requested != null ? requested
                    : entryIdFor(practiceId, patientId, caller.user(), idempotencyKey);
            Performer named = new Performer(performer.id() == null ? caller.user() : performer.id(), role);
            LogCareMinutes command = new LogCareMinutes(EnrollmentId.of(practiceId, patientId), entryId, named,
                                                        startedAt, minutes, activity, body.note(),
                                                        requester(caller));
            return sender.created(command, request, Map.of("entryId", entryId.value()));
        });
    }

    /** The performer roles the caller's roles let them log time as: their own practitioner time, or staff time. */
    private static CareTimeRequester requester(Caller caller) {
        Set<PerformerRole> roles = EnumSet.noneOf(PerformerRole.class);
        if (caller.has(Role.BILLING_PRACTITIONER)) {
            roles.add(PerformerRole.BILLING_PRACTITIONER);
        }
        if (caller.has(Role.CARE_STAFF)) {
            roles.addAll(EnumSet.complementOf(EnumSet.of(PerformerRole.BILLING_PRACTITIONER)));
        }
        return new CareTimeRequester(caller.user(), roles);
    }

    record CorrectionRequest(Integer minutes, OffsetDateTime startedAt, String reason) {
    }

    record VoidRequest(String reason) {
    }

    /**
     * A generated entry id; with an {@code Idempotency-Key} it is derived from the key and the user (keys are each
     * user's own), so that a request run again after its first run's answer was lost conflicts with its own entry
     * instead of logging the time twice.
     */
    private static TimeEntryId entryIdFor(String practiceId, String patientId, String user, String idempotencyKey) {
        if (idempotencyKey == null) {
            return TimeEntryId.random();
        }
        byte[] name = (practiceId + "/" + patientId + "/" + user + "/" + idempotencyKey)
                .getBytes(StandardCharsets.UTF_8);
        return new TimeEntryId(UUID.nameUUIDFromBytes(name).toString());
    }

    @PostMapping("/api/v1/practices/{practiceId}/patients/{patientId}/care-minutes/{entryId}/correction")
    Mono<ResponseEntity<Map<String, String>>> correct(@PathVariable String practiceId,
                                                      @PathVariable String patientId, @PathVariable String entryId,
                                                      @RequestBody CorrectionRequest body,
                                                      ServerHttpRequest request) {
        if (body.minutes() == null && body.startedAt() == null) {
            throw new org.springframework.web.server.ServerWebInputException(
                    "A correction needs 'minutes' or 'startedAt'");
        }
        String reason = Require.text(body.reason(), "reason", 1000);
        Instant startedAt = body.startedAt() == null ? null : body.startedAt().toInstant();
        return Callers.current().flatMap(caller -> sender.created(
                new CorrectCareMinutes(EnrollmentId.of(practiceId, patientId), new TimeEntryId(entryId),
                                       body.minutes(), startedAt, reason, caller.user()),
                request, Map.of("entryId", entryId)));
    }

    @PostMapping("/api/v1/practices/{practiceId}/patients/{patientId}/care-minutes/{entryId}/void")
    Mono<ResponseEntity<Map<String, String>>> voidEntry(@PathVariable String practiceId,
                                                        @PathVariable String patientId,
                                                        @PathVariable String entryId, @RequestBody VoidRequest body,
                                                        ServerHttpRequest request) {
        String reason = Require.text(body.reason(), "reason", 1000);
        return Callers.current().flatMap(caller -> sender.created(
                new VoidCareMinutes(EnrollmentId.of(practiceId, patientId), new TimeEntryId(entryId), reason,
                                    caller.user()),
                request, Map.of("entryId", entryId)));
    }

    @GetMapping("/api/v1/practices/{practiceId}/patients/{patientId}/minutes/{month}")
    Mono<MonthlyMinutes> month(@PathVariable String practiceId, @PathVariable String patientId,
                               @PathVariable String month) {
        return sender.query(new FindMonthlyMinutes(EnrollmentId.of(practiceId, patientId), Require.month(month)),
                            MonthlyMinutes.class);
    }
}
