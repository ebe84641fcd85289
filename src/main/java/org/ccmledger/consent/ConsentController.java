package org.ccmledger.consent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.ccmledger.consent.api.ConsentDecision;
import org.ccmledger.consent.api.ConsentMethod;
import org.ccmledger.consent.api.Disclosures;
import org.ccmledger.consent.api.FindConsents;
import org.ccmledger.consent.api.PatientConsents;
import org.ccmledger.consent.api.RecordConsent;
import org.ccmledger.consent.api.RevokeConsent;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.Npi;
import org.ccmledger.platform.web.Accepts;
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

import reactor.core.publisher.Mono;

/**
 * Consent over HTTP: record (accepted or declined), revoke, and read a patient's consent decisions (JSON, or FHIR R4
 * {@code Consent}s).
 */
@RestController
class ConsentController {

    private static final String PATIENT = "/api/v1/practices/{practiceId}/patients/{patientId}";

    private final CommandSender sender;

    ConsentController(CommandSender sender) {
        this.sender = sender;
    }

    record DisclosuresRequest(Boolean availability, Boolean costSharing, Boolean onePractitionerPerMonth,
                              Boolean rightToStop) {
        /** A disclosure the request leaves out was not made: R8 refuses the consent (422), it is not malformed. */
        Disclosures toDisclosures() {
            return new Disclosures(Boolean.TRUE.equals(availability), Boolean.TRUE.equals(costSharing),
                                   Boolean.TRUE.equals(onePractitionerPerMonth), Boolean.TRUE.equals(rightToStop));
        }
    }

    record RecordConsentRequest(ConsentMethod method, ConsentDecision decision, OffsetDateTime obtainedAt,
                                String obtainedBy, String billingPractitionerNpi, String documentRef,
                                DisclosuresRequest disclosures) {

        RecordConsent toCommand(EnrollmentId id) {
            return new RecordConsent(id, Require.present(method, "method"), Require.present(decision, "decision"),
                                     Require.present(obtainedAt, "obtainedAt").toInstant(),
                                     Require.text(obtainedBy, "obtainedBy", 128),
                                     new Npi(Require.present(billingPractitionerNpi, "billingPractitionerNpi")),
                                     documentRef == null ? null : Require.text(documentRef, "documentRef", 256),
                                     Require.present(disclosures, "disclosures").toDisclosures());
        }
    }

    record RevokeConsentRequest(OffsetDateTime revokedAt, String reason) {

        RevokeConsent toCommand(EnrollmentId id) {
            return new RevokeConsent(id, Require.present(revokedAt, "revokedAt").toInstant(),
                                     Require.text(reason, "reason", 1000));
        }
    }

    @PostMapping(PATIENT + "/consents")
    Mono<ResponseEntity<Map<String, String>>> record(@PathVariable String practiceId, @PathVariable String patientId,
                                                     @RequestBody RecordConsentRequest body,
                                                     ServerHttpRequest request) {
        RecordConsent command = body.toCommand(EnrollmentId.of(practiceId, patientId));
        return sender.created(command, request, Map.of("decision", command.decision().name()));
    }

    @PostMapping(PATIENT + "/consents/revocation")
    Mono<ResponseEntity<Map<String, String>>> revoke(@PathVariable String practiceId, @PathVariable String patientId,
                                                     @RequestBody RevokeConsentRequest body,
                                                     ServerHttpRequest request) {
        RevokeConsent command = body.toCommand(EnrollmentId.of(practiceId, patientId));
        return sender.<Instant>send(command, request)
                     .map(effectiveAt -> ResponseEntity.status(HttpStatus.CREATED)
                                                       .body(Map.of("effectiveAt", effectiveAt.toString())));
    }

    /**
     * Every consent decision in ledger order with its status: JSON, or with {@code Accept: application/fhir+json} a
     * FHIR R4 bundle of {@code Consent}s ({@link FhirConsents}). 404 for a patient the read model does not know.
     */
    @ApiResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                     schema = @Schema(implementation = PatientConsents.class)),
            @Content(mediaType = Accepts.FHIR_JSON_VALUE, schema = @Schema(type = "object"))})
    @GetMapping(value = PATIENT + "/consents", produces = {MediaType.APPLICATION_JSON_VALUE, Accepts.FHIR_JSON_VALUE})
    Mono<ResponseEntity<Object>> consents(@PathVariable String practiceId, @PathVariable String patientId,
                                          ServerHttpRequest request) {
        Mono<PatientConsents> consents = sender.query(new FindConsents(EnrollmentId.of(practiceId, patientId)),
                                                      PatientConsents.class);
        return Accepts.jsonOrFhir(request, consents, FhirConsents::bundleJson);
    }
}
