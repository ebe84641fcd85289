package org.ccmledger.careplan;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.ccmledger.careplan.api.CarePlanHistory;
import org.ccmledger.careplan.api.CarePlanId;
import org.ccmledger.careplan.api.CarePlanView;
import org.ccmledger.careplan.api.FindCarePlan;
import org.ccmledger.careplan.api.FindCarePlanHistory;
import org.ccmledger.careplan.api.ReviseCarePlan;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.Accepts;
import org.ccmledger.platform.security.Callers;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Require;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;

import reactor.core.publisher.Mono;

/**
 * Care plans over HTTP: record a revision (the first establishes the plan), read the version in force, and read every
 * version with what changed (JSON, or FHIR R4 {@code CarePlan}s). Fields that are absent or too long are malformed
 * (400); present but empty plan elements are refused by R10 (422).
 */
@RestController
class CarePlanController {

    private static final String CARE_PLAN = "/api/v1/practices/{practiceId}/patients/{patientId}/care-plan";
    static final int MAX_TEXT = 2000;
    static final int MAX_ITEMS = 100;

    private final CommandSender sender;

    CarePlanController(CommandSender sender) {
        this.sender = sender;
    }

    record ReviseCarePlanRequest(OffsetDateTime revisedAt, String revisedBy, Boolean substantialRevision,
                                 OffsetDateTime sharedWithPatientAt, List<String> problems, String expectedOutcome,
                                 List<String> measurableGoals, String symptomManagement,
                                 List<String> plannedInterventions, String medicationManagement,
                                 List<String> communityResources, List<String> coordination,
                                 String reviewSchedule) {

        ReviseCarePlan toCommand(EnrollmentId enrollmentId, String revisedBy) {
            Instant shared = sharedWithPatientAt == null ? null : sharedWithPatientAt.toInstant();
            return new ReviseCarePlan(new CarePlanId(enrollmentId),
                                      Require.present(revisedAt, "revisedAt").toInstant(),
                                      revisedBy,
                                      Require.present(substantialRevision, "substantialRevision"), shared,
                                      items(problems, "problems"), text(expectedOutcome, "expectedOutcome"),
                                      items(measurableGoals, "measurableGoals"),
                                      text(symptomManagement, "symptomManagement"),
                                      items(plannedInterventions, "plannedInterventions"),
                                      text(medicationManagement, "medicationManagement"),
                                      items(communityResources, "communityResources"),
                                      items(coordination, "coordination"), text(reviewSchedule, "reviewSchedule"));
        }

        /** Present and not too long; whether it says anything is R10's question, answered by the aggregate. */
        private static String text(String value, String field) {
            if (Require.present(value, field).length() > MAX_TEXT) {
                throw new ServerWebInputException("Field '" + field + "' must be at most " + MAX_TEXT
                                                          + " characters");
            }
            return value;
        }

        private static List<String> items(List<String> values, String field) {
            if (Require.present(values, field).size() > MAX_ITEMS) {
                throw new ServerWebInputException("Field '" + field + "' must have at most " + MAX_ITEMS + " items");
            }
            return values.stream().map(value -> text(value, field + "[]")).toList();
        }
    }

    /** Answers {@code 201 {"version": n}}; 404 when the patient is not (yet) known to the care-plan read model. */
    @PostMapping(CARE_PLAN + "/revisions")
    Mono<ResponseEntity<Map<String, Integer>>> revise(@PathVariable String practiceId, @PathVariable String patientId,
                                                      @RequestBody ReviseCarePlanRequest body,
                                                      ServerHttpRequest request) {
        EnrollmentId id = EnrollmentId.of(practiceId, patientId);
        // revisedBy is the caller: a practitioner revises a plan only as themselves
        return Callers.current().flatMap(caller -> {
            ReviseCarePlan command = body.toCommand(id, caller.asThemselves(body.revisedBy(), "revisedBy"));
            return sender.query(new CarePlanPatientKnown(id), Boolean.class)
                         .filter(Boolean::booleanValue)
                         .switchIfEmpty(Mono.error(() -> Refusal.notFound("UNKNOWN_PATIENT",
                                                                          "no such patient in this practice")))
                         .flatMap(known -> sender.<Integer>send(command, request));
        }).map(version -> ResponseEntity.status(HttpStatus.CREATED).body(Map.of("version", version)));
    }

    @GetMapping(CARE_PLAN)
    Mono<CarePlanView> carePlan(@PathVariable String practiceId, @PathVariable String patientId) {
        return sender.query(new FindCarePlan(EnrollmentId.of(practiceId, patientId)), CarePlanView.class);
    }

    /**
     * Every version, oldest first, with the changes since the one before: JSON, or with {@code Accept:
     * application/fhir+json} a FHIR R4 bundle of {@code CarePlan}s, one per version ({@link FhirCarePlans}). 404
     * without a patient or a plan.
     */
    @ApiResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                     schema = @Schema(implementation = CarePlanHistory.class)),
            @Content(mediaType = Accepts.FHIR_JSON_VALUE, schema = @Schema(type = "object"))})
    @GetMapping(value = CARE_PLAN + "/history", produces = {MediaType.APPLICATION_JSON_VALUE, Accepts.FHIR_JSON_VALUE})
    Mono<ResponseEntity<Object>> history(@PathVariable String practiceId, @PathVariable String patientId,
                                         ServerHttpRequest request) {
        Mono<CarePlanHistory> history = sender.query(new FindCarePlanHistory(EnrollmentId.of(practiceId, patientId)),
                                                     CarePlanHistory.class);
        return Accepts.jsonOrFhir(request, history, FhirCarePlans::bundleJson);
    }
}
