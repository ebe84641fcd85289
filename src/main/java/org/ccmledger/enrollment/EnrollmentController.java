package org.ccmledger.enrollment;

import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.ccmledger.identity.api.IdentityId;
import org.ccmledger.identity.api.IdentityRequest;
import org.ccmledger.identity.api.IdentitySealer;
import org.ccmledger.identity.api.PatientIdentity;
import org.ccmledger.identity.api.RecordPatientIdentity;
import org.ccmledger.patient.ChangeBillingPractitioner;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.DisenrollPatient;
import org.ccmledger.patient.EnrollPatient;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.FindPatient;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PatientView;
import org.ccmledger.patient.RecordDeath;
import org.ccmledger.platform.ids.IdFormat;
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
import reactor.core.scheduler.Schedulers;

/** Enrollment over HTTP: enroll, change the billing practitioner, record death, disenroll. */
@RestController
class EnrollmentController {

    private static final String PATIENT = "/api/v1/practices/{practiceId}/patients/{patientId}";

    private final CommandSender sender;

    private final IdentitySealer identities;

    EnrollmentController(CommandSender sender, IdentitySealer identities) {
        this.sender = sender;
        this.identities = identities;
    }

    record ConditionRequest(String code, String description, Boolean expectedToLast12Months,
                            Boolean significantRisk) {
        ChronicCondition toCondition() {
            return new ChronicCondition(Require.present(code, "chronicConditions.code"),
                                        Require.present(description, "chronicConditions.description"),
                                        Require.present(expectedToLast12Months,
                                                        "chronicConditions.expectedToLast12Months"),
                                        Require.present(significantRisk, "chronicConditions.significantRisk"));
        }
    }

    record EnrollPatientRequest(String patientId, String billingPractitionerNpi, String timeZone,
                                Boolean qualifiedMedicareBeneficiary, List<ConditionRequest> chronicConditions,
                                Boolean initiatingVisitRequired, String billingLocation, IdentityRequest identity) {

        EnrollPatient toCommand(EnrollmentId id) {
            List<ConditionRequest> requested = Require.present(chronicConditions, "chronicConditions");
            if (requested.size() > 50) {
                throw new org.springframework.web.server.ServerWebInputException(
                        "Field 'chronicConditions' lists at most 50 conditions");
            }
            List<ChronicCondition> conditions = requested.stream()
                                                         .map(c -> Require.present(c, "chronicConditions[]"))
                                                         .map(ConditionRequest::toCondition).toList();
            return new EnrollPatient(
                    id, new Npi(Require.present(billingPractitionerNpi, "billingPractitionerNpi")),
                    Require.zone(timeZone, "timeZone"), conditions,
                    Require.present(qualifiedMedicareBeneficiary, "qualifiedMedicareBeneficiary"),
                    initiatingVisitRequired, location(billingLocation));
        }
    }

    record ChangePractitionerRequest(String billingPractitionerNpi, OffsetDateTime effectiveAt) {

        ChangeBillingPractitioner toCommand(EnrollmentId id) {
            return new ChangeBillingPractitioner(
                    id, new Npi(Require.present(billingPractitionerNpi, "billingPractitionerNpi")),
                    Require.present(effectiveAt, "effectiveAt").toInstant());
        }
    }

    record DeathRequest(LocalDate dateOfDeath) {

        RecordDeath toCommand(EnrollmentId id) {
            return new RecordDeath(id, Require.present(dateOfDeath, "dateOfDeath"));
        }
    }

    record DisenrollRequest(OffsetDateTime effectiveAt, String reason) {

        DisenrollPatient toCommand(EnrollmentId id) {
            return new DisenrollPatient(id, Require.present(effectiveAt, "effectiveAt").toInstant(),
                                        Require.text(reason, "reason", 1000));
        }
    }

    @PostMapping(PATIENT + "/billing-practitioner")
    Mono<ResponseEntity<Map<String, String>>> changePractitioner(@PathVariable String practiceId,
                                                                 @PathVariable String patientId,
                                                                 @RequestBody ChangePractitionerRequest body,
                                                                 ServerHttpRequest request) {
        ChangeBillingPractitioner command = body.toCommand(EnrollmentId.of(practiceId, patientId));
        return sender.created(command, request, Map.of("billingPractitionerNpi",
                                                       command.billingPractitioner().value()));
    }

    @PostMapping(PATIENT + "/death")
    Mono<ResponseEntity<Map<String, String>>> death(@PathVariable String practiceId, @PathVariable String patientId,
                                                    @RequestBody DeathRequest body, ServerHttpRequest request) {
        RecordDeath command = body.toCommand(EnrollmentId.of(practiceId, patientId));
        return sender.created(command, request, Map.of("dateOfDeath", body.dateOfDeath().toString()));
    }

    @PostMapping(PATIENT + "/disenrollment")
    Mono<ResponseEntity<Map<String, String>>> disenroll(@PathVariable String practiceId,
                                                        @PathVariable String patientId,
                                                        @RequestBody DisenrollRequest body,
                                                        ServerHttpRequest request) {
        DisenrollPatient command = body.toCommand(EnrollmentId.of(practiceId, patientId));
        return sender.created(command, request, Map.of("effectiveAt", body.effectiveAt().toInstant().toString()));
    }

    @GetMapping(PATIENT)
    Mono<PatientView> patient(@PathVariable String practiceId, @PathVariable String patientId) {
        return sender.query(new FindPatient(EnrollmentId.of(practiceId, patientId)), PatientView.class);
    }

    @PostMapping("/api/v1/practices/{practiceId}/patients")
    Mono<ResponseEntity<Map<String, String>>> enroll(@PathVariable String practiceId,
                                                     @RequestBody EnrollPatientRequest body,
                                                     ServerHttpRequest request) {
        EnrollmentId id = EnrollmentId.of(practiceId, Require.present(body.patientId(), "patientId"));
        EnrollPatient command = body.toCommand(id);
        // the identity is checked before anything is written, sealed with the patient's key after enrolling
        PatientIdentity identity = body.identity() == null ? null : body.identity().toIdentity();
        URI location = URI.create("/api/v1/practices/" + practiceId + "/patients/" + body.patientId());
        Mono<Object> enrolled = sender.send(command, request);
        if (identity != null) {
            enrolled = enrolled.then(Mono.fromCallable(() -> identities.seal(id, identity))
                                         .subscribeOn(Schedulers.boundedElastic()))
                               .flatMap(sealed -> sender.send(new RecordPatientIdentity(new IdentityId(id), sealed),
                                                              request));
        }
        return enrolled.then(Mono.just(ResponseEntity.created(location).body(Map.of("patientId",
                                                                                    body.patientId()))));
    }

    /** A billing location id names one of the practice's profile locations (R13): 1-64 letters, digits or ._- */
    private static String location(String location) {
        if (location != null && !IdFormat.isId(location)) {
            throw new org.springframework.web.server.ServerWebInputException(
                    "Field 'billingLocation' must be 1-64 letters, digits or ._-");
        }
        return location;
    }
}
