package org.ccmledger.enrollment;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.ccmledger.enrollment.api.ChronicCondition;
import org.ccmledger.enrollment.api.EnrollPatient;
import org.ccmledger.enrollment.api.EnrollmentId;
import org.ccmledger.enrollment.api.Npi;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Require;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** Enrollment over HTTP: {@code POST /api/v1/practices/{practiceId}/patients}. */
@RestController
class EnrollmentController {

    private final CommandSender sender;

    EnrollmentController(CommandSender sender) {
        this.sender = sender;
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
                                Boolean qualifiedMedicareBeneficiary, List<ConditionRequest> chronicConditions) {
    }

    @PostMapping("/api/v1/practices/{practiceId}/patients")
    Mono<ResponseEntity<Map<String, String>>> enroll(@PathVariable String practiceId,
                                                     @RequestBody EnrollPatientRequest body,
                                                     ServerHttpRequest request) {
        EnrollmentId id = EnrollmentId.of(practiceId, Require.present(body.patientId(), "patientId"));
        List<ChronicCondition> conditions = Require.present(body.chronicConditions(), "chronicConditions")
                                                   .stream().map(c -> Require.present(c, "chronicConditions[]"))
                                                   .map(ConditionRequest::toCondition).toList();
        EnrollPatient command = new EnrollPatient(
                id, new Npi(Require.present(body.billingPractitionerNpi(), "billingPractitionerNpi")),
                Require.zone(body.timeZone(), "timeZone"), conditions,
                Require.present(body.qualifiedMedicareBeneficiary(), "qualifiedMedicareBeneficiary"));
        return sender.send(command, request)
                     .thenReturn(ResponseEntity.created(URI.create(
                                                       "/api/v1/practices/" + practiceId + "/patients/" + body.patientId()))
                                               .body(Map.of("patientId", body.patientId())));
    }
}
