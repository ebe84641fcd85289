package org.ccmledger.identity;

import static org.ccmledger.platform.web.Blocking.blocking;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import org.ccmledger.identity.api.ErasePatientIdentity;
import org.ccmledger.identity.api.ErasureBasis;
import org.ccmledger.identity.api.IdentityId;
import org.ccmledger.identity.api.IdentityRequest;
import org.ccmledger.identity.api.PatientIdentities.Lookup;
import org.ccmledger.identity.api.PatientIdentity;
import org.ccmledger.identity.api.RecordPatientIdentity;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.FindPatient;
import org.ccmledger.patient.PatientView;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Require;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A patient's identity over HTTP: record or correct it (admin), read it (billing, compliance officer, auditor; every
 * read is in the access log), and erase it for good (admin: crypto-shredding, see docs/security.md).
 */
@RestController
class IdentityController {

    private static final String IDENTITY = "/api/v1/practices/{practiceId}/patients/{patientId}/identity";

    private final CommandSender sender;
    private final IdentityStore store;

    IdentityController(CommandSender sender, IdentityStore store) {
        this.sender = sender;
        this.store = store;
    }

    record ErasureRequest(String basis, String reason) {
    }

    /** Answers {@code {"version": n}}; 404 for a patient not enrolled in the practice. */
    @PutMapping(IDENTITY)
    Mono<Map<String, Integer>> record(@PathVariable String practiceId, @PathVariable String patientId,
                                      @RequestBody IdentityRequest body, ServerHttpRequest request) {
        EnrollmentId patient = EnrollmentId.of(practiceId, patientId);
        PatientIdentity identity = body.toIdentity();
        return enrolled(patient)
                .then(blocking(() -> store.seal(patient, identity)))
                .flatMap(sealed -> sender.<Integer>send(new RecordPatientIdentity(new IdentityId(patient), sealed),
                                                        request))
                .doOnNext(version -> store.changed(patient))
                .map(version -> Map.of("version", version));
    }

    /** The identity as recorded last: {@code status} PRESENT with it, ERASED without it; 404 when none. */
    @GetMapping(IDENTITY)
    Mono<Lookup> identity(@PathVariable String practiceId, @PathVariable String patientId) {
        EnrollmentId patient = EnrollmentId.of(practiceId, patientId);
        return blocking(() -> store.identity(patient))
                   .filter(lookup -> lookup.status() != org.ccmledger.identity.api.PatientIdentities.Status.NONE)
                   .switchIfEmpty(Mono.error(() -> Refusal.notFound("NO_IDENTITY",
                                                                    "no identity is recorded for this patient")));
    }

    /** Records the erasure, then destroys the patient's key: what was sealed can never be read again. */
    @PostMapping(IDENTITY + "/erasure")
    Mono<Map<String, String>> erase(@PathVariable String practiceId, @PathVariable String patientId,
                                    @RequestBody ErasureRequest body, ServerHttpRequest request) {
        EnrollmentId patient = EnrollmentId.of(practiceId, patientId);
        String reason = Require.present(body.reason(), "reason");
        if (reason.isBlank() || reason.length() > 500) {
            return Mono.error(Refusal.malformed("INVALID_FIELD", "Field 'reason' must be 1-500 characters"));
        }
        ErasureBasis basis = basis(Require.present(body.basis(), "basis"));
        Mono<Void> allowed = basis == ErasureBasis.LEGAL_ORDER ? Mono.empty()
                : Mono.fromRunnable(() -> retentionOver(patient)).subscribeOn(Schedulers.boundedElastic()).then();
        return allowed.then(Mono.defer(() -> sender.send(new ErasePatientIdentity(new IdentityId(patient), basis,
                                                                                  reason), request)))
                      .then(Mono.fromRunnable(() -> store.shred(patient)).subscribeOn(Schedulers.boundedElastic()))
                      .thenReturn(Map.of("status", "ERASED"));
    }

    private static ErasureBasis basis(String text) {
        try {
            return ErasureBasis.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw Refusal.malformed("INVALID_FIELD", "Field 'basis' must be RETENTION_ENDED or LEGAL_ORDER");
        }
    }

    /** R18: refused while the patient's records are within Medicare's retention period. */
    private void retentionOver(EnrollmentId patient) {
        Instant last = store.lastChange(patient).orElseThrow(
                () -> Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice"));
        if (!Retention.over(last, LocalDate.now(ZoneOffset.UTC))) {
            throw Refusal.rule("RETENTION_PERIOD", "R18", "the patient's records are kept 7 years from the last date "
                                                          + "of service; erasure is possible from "
                                                          + Retention.erasableFrom(last) + ", or on a legal order")
                         .with("erasableFrom", Retention.erasableFrom(last).toString());
        }
    }

    private Mono<PatientView> enrolled(EnrollmentId patient) {
        return sender.query(new FindPatient(patient), PatientView.class)
                     .switchIfEmpty(Mono.error(() -> Refusal.notFound("UNKNOWN_PATIENT",
                                                                      "no such patient in this practice")));
    }
}
