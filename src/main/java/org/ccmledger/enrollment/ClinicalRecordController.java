package org.ccmledger.enrollment;

import java.time.LocalDate;
import java.util.Map;

import org.ccmledger.patient.AttestComplexity;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.MedicalDecisionMaking;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.RecordConcurrentService;
import org.ccmledger.patient.RecordInitiatingVisit;
import org.ccmledger.patient.RecordInpatientStay;
import org.ccmledger.patient.VisitType;
import org.ccmledger.platform.security.Callers;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Require;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/**
 * The facts of a patient's record that billing decides with: the initiating visit (R9), complexity attestations
 * (P1), other services billed in a month, inpatient stays (R4).
 */
@RestController
class ClinicalRecordController {

    private static final String PATIENT = "/api/v1/practices/{practiceId}/patients/{patientId}";

    private final CommandSender sender;

    ClinicalRecordController(CommandSender sender) {
        this.sender = sender;
    }

    record InitiatingVisitRequest(LocalDate visitDate, VisitType visitType, Integer emLevel, String practitionerNpi,
                                  Boolean comprehensiveCarePlanning, String baseCode) {

        RecordInitiatingVisit toCommand(EnrollmentId id) {
            return new RecordInitiatingVisit(id, Require.present(visitDate, "visitDate"),
                                             Require.present(visitType, "visitType"), emLevel,
                                             new Npi(Require.present(practitionerNpi, "practitionerNpi")),
                                             Require.present(comprehensiveCarePlanning, "comprehensiveCarePlanning"),
                                             ClinicalRecordController.baseCode(baseCode));
        }
    }

    record ComplexityRequest(String month, MedicalDecisionMaking medicalDecisionMaking, String attestedBy) {
    }

    record ConcurrentServiceRequest(String code, String month, String practitionerNpi) {
    }

    record InpatientStayRequest(LocalDate admittedOn, LocalDate dischargedOn) {
    }

    @PostMapping(PATIENT + "/initiating-visits")
    Mono<ResponseEntity<Map<String, String>>> initiatingVisit(@PathVariable String practiceId,
                                                              @PathVariable String patientId,
                                                              @RequestBody InitiatingVisitRequest body,
                                                              ServerHttpRequest request) {
        RecordInitiatingVisit command = body.toCommand(EnrollmentId.of(practiceId, patientId));
        return sender.created(command, request, Map.of("visitDate", body.visitDate().toString()));
    }

    @PostMapping(PATIENT + "/complexity")
    Mono<ResponseEntity<Map<String, String>>> complexity(@PathVariable String practiceId,
                                                         @PathVariable String patientId,
                                                         @RequestBody ComplexityRequest body,
                                                         ServerHttpRequest request) {
        var month = Require.month(Require.present(body.month(), "month"));
        var decisionMaking = Require.present(body.medicalDecisionMaking(), "medicalDecisionMaking");
        // attestedBy is the caller: a practitioner attests only as themselves
        return Callers.current().flatMap(caller -> sender.created(
                new AttestComplexity(EnrollmentId.of(practiceId, patientId), month, decisionMaking,
                                     caller.asThemselves(body.attestedBy(), "attestedBy")),
                request, Map.of("month", body.month())));
    }

    @PostMapping(PATIENT + "/concurrent-services")
    Mono<ResponseEntity<Map<String, String>>> concurrentService(@PathVariable String practiceId,
                                                                @PathVariable String patientId,
                                                                @RequestBody ConcurrentServiceRequest body,
                                                                ServerHttpRequest request) {
        RecordConcurrentService command = new RecordConcurrentService(
                EnrollmentId.of(practiceId, patientId), Require.text(body.code(), "code", 16),
                Require.month(Require.present(body.month(), "month")),
                new Npi(Require.present(body.practitionerNpi(), "practitionerNpi")));
        return sender.created(command, request, Map.of("code", body.code()));
    }

    @PostMapping(PATIENT + "/inpatient-stays")
    Mono<ResponseEntity<Map<String, String>>> inpatientStay(@PathVariable String practiceId,
                                                            @PathVariable String patientId,
                                                            @RequestBody InpatientStayRequest body,
                                                            ServerHttpRequest request) {
        RecordInpatientStay command = new RecordInpatientStay(
                EnrollmentId.of(practiceId, patientId), Require.present(body.admittedOn(), "admittedOn"),
                Require.present(body.dischargedOn(), "dischargedOn"));
        return sender.created(command, request, Map.of("admittedOn", body.admittedOn().toString()));
    }


    /** A HCPCS code has five letters or digits; whether it fits the visit is R9's question (422). */
    private static String baseCode(String code) {
        if (code != null && !code.matches("[0-9A-Z]{5}")) {
            throw new org.springframework.web.server.ServerWebInputException(
                    "Field 'baseCode' must be a HCPCS code of five letters or digits");
        }
        return code;
    }
}
