package org.ccmledger.caretime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Function;
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

        /** The command, with the performer's id when the request leaves it out (the caller). */
        LogCareMinutes toCommand(EnrollmentId id, TimeEntryId entryId, String defaultPerformer,
                                 Function<Performer, CareTimeRequester> requester) {
            PerformerRequest named = Require.present(performer, "performer");
            PerformerRole role = Require.present(named.role(), "performer.role");
            String performerId = named.id() == null ? defaultPerformer : Require.text(named.id(), "performer.id", 128);
            if (performerId == null) {
                throw new org.springframework.web.server.ServerWebInputException("Field 'performer.id' is required");
            }
            if (note != null) {
                Require.text(note, "note", 2000);
            }
            Performer who = new Performer(performerId, role);
            return new LogCareMinutes(id, entryId, who, Require.present(startedAt, "startedAt").toInstant(),
                                      Require.present(minutes, "minutes"), Require.present(activity, "activity"),
                                      note, requester.apply(who));
        }
    }

    /**
     * Logs care time as the caller: {@code performer.id} may be left out (it is the caller); whether the caller may log
     * it is the aggregate's to decide ({@code CareTimeOwnership}).
     */
    @PostMapping("/api/v1/practices/{practiceId}/patients/{patientId}/care-minutes")
    Mono<ResponseEntity<Map<String, String>>> log(@PathVariable String practiceId, @PathVariable String patientId,
                                                  @RequestBody LogCareMinutesRequest body,
                                                  ServerHttpRequest request) {
        TimeEntryId requested = body.entryId() == null ? null : new TimeEntryId(body.entryId());
        String idempotencyKey = request.getHeaders().getFirst("Idempotency-Key");
        return Callers.current().flatMap(caller -> {
            TimeEntryId entryId = requested != null ? requested
                    : entryIdFor(practiceId, patientId, caller.user(), idempotencyKey);
            LogCareMinutes command = body.toCommand(EnrollmentId.of(practiceId, patientId), entryId, caller.user(),
                                                    performer -> requester(caller));
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

        CorrectCareMinutes toCommand(EnrollmentId id, TimeEntryId entryId, String requestedBy) {
            if (minutes == null && startedAt == null) {
                throw new org.springframework.web.server.ServerWebInputException(
                        "A correction needs 'minutes' or 'startedAt'");
            }
            return new CorrectCareMinutes(id, entryId, minutes, startedAt == null ? null : startedAt.toInstant(),
                                          Require.text(reason, "reason", 1000), requestedBy);
        }
    }

    record VoidRequest(String reason) {

        VoidCareMinutes toCommand(EnrollmentId id, TimeEntryId entryId, String requestedBy) {
            return new VoidCareMinutes(id, entryId, Require.text(reason, "reason", 1000), requestedBy);
        }
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
        return Callers.current().flatMap(caller -> sender.created(
                body.toCommand(EnrollmentId.of(practiceId, patientId), new TimeEntryId(entryId), caller.user()),
                request, Map.of("entryId", entryId)));
    }

    @PostMapping("/api/v1/practices/{practiceId}/patients/{patientId}/care-minutes/{entryId}/void")
    Mono<ResponseEntity<Map<String, String>>> voidEntry(@PathVariable String practiceId,
                                                        @PathVariable String patientId,
                                                        @PathVariable String entryId, @RequestBody VoidRequest body,
                                                        ServerHttpRequest request) {
        return Callers.current().flatMap(caller -> sender.created(
                body.toCommand(EnrollmentId.of(practiceId, patientId), new TimeEntryId(entryId), caller.user()),
                request, Map.of("entryId", entryId)));
    }

    @GetMapping("/api/v1/practices/{practiceId}/patients/{patientId}/minutes/{month}")
    Mono<MonthlyMinutes> month(@PathVariable String practiceId, @PathVariable String patientId,
                               @PathVariable String month) {
        return sender.query(new FindMonthlyMinutes(EnrollmentId.of(practiceId, patientId), Require.month(month)),
                            MonthlyMinutes.class);
    }
}
