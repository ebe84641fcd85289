package org.ccmledger.billing;

import static org.ccmledger.platform.web.Blocking.blocking;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import org.ccmledger.billing.api.BillingViews.PatientMonthView;
import org.ccmledger.billing.api.BillingViews.PatientRow;
import org.ccmledger.billing.api.BillingViews.PracticeMonthView;
import org.ccmledger.billing.api.FindMonthRisks;
import org.ccmledger.billing.api.BillingMonthId;
import org.ccmledger.billing.api.ClaimExportsId;
import org.ccmledger.billing.api.ClaimsBatchExported;
import org.ccmledger.billing.api.FindBillingMonth;
import org.ccmledger.billing.api.RecordPayerReference;
import org.ccmledger.billing.export.ClaimBatches;
import org.ccmledger.billing.export.ClaimsFeed;
import org.ccmledger.billing.export.FhirClaimsFeed;
import org.ccmledger.billing.export.PracticeMonthStreams;
import org.ccmledger.billing.readmodel.BillingReads;
import org.ccmledger.billing.statement.BillingService;
import org.ccmledger.billing.statement.StatementVerifier;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.Accepts;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Require;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Mono;

/**
 * Billing over HTTP: a patient-month, a practice's month (JSON, streamed NDJSON, CSV), closing a month, verifying
 * statements, and the claims feed (CSV, FHIR R4, X12 837P). Every read and the close run off the event loop.
 */
@RestController
class BillingController {

    private static final String PRACTICE_MONTH = "/api/v1/practices/{practiceId}/billing/{month}";
    private static final String PATIENT_MONTH = "/api/v1/practices/{practiceId}/patients/{patientId}/billing/{month}";
    static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    static final MediaType CSV = MediaType.parseMediaType("text/csv");
    static final MediaType X12 = MediaType.parseMediaType("application/edi-x12");
    private static final int STREAM_BATCH = 100;

    private final BillingReads reads;
    private final BillingService billing;
    private final StatementVerifier verification;
    private final ClaimsFeed claims;
    private final CommandSender sender;
    private final ClaimBatches batches;
    private final FhirClaimsFeed fhir;
    /** The mapper the JSON responses are written with, for the streamed practice month. */
    private final JsonMapper json;

    BillingController(BillingReads reads, BillingService billing, StatementVerifier verification, ClaimsFeed claims,
                      CommandSender sender, ClaimBatches batches, FhirClaimsFeed fhir, JsonMapper json) {
        this.fhir = fhir;
        this.verification = verification;
        this.json = json;
        this.batches = batches;
        this.reads = reads;
        this.billing = billing;
        this.claims = claims;
        this.sender = sender;
    }

    @GetMapping(value = PATIENT_MONTH, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<PatientMonthView> patientMonth(@PathVariable String practiceId, @PathVariable String patientId,
                                        @PathVariable String month,
                                        @RequestParam(required = false) String asKnownAt) {
        YearMonth m = Require.month(month);
        java.time.Instant knownAt = asKnownAt == null ? null : Require.instant(asKnownAt, "asKnownAt");
        return sender.query(new FindBillingMonth(EnrollmentId.of(practiceId, patientId), m, knownAt),
                            PatientMonthView.class);
    }

    /**
     * The practice's month as one JSON document, streamed: its opening as soon as the patients are listed, then the
     * rows a batch at a time as they are evaluated, then the totals of them all. With {@code risks}, written whole
     * once the audit feature's scan has answered.
     */
    @GetMapping(value = PRACTICE_MONTH, produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "200", description = "OK", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PracticeMonthView.class)))
    Flux<DataBuffer> practiceMonth(@PathVariable String practiceId, @PathVariable String month,
                                   @RequestParam(defaultValue = "false") boolean risks, ServerHttpResponse response) {
        YearMonth m = Require.month(month);
        DataBufferFactory buffers = response.bufferFactory();
        if (risks) {
            return blocking(() -> reads.practiceMonth(practiceId, m))
                    .zipWith(risks(practiceId, m), PracticeMonthView::withRisks)
                    .map(view -> buffers.wrap(json.writeValueAsBytes(view))).flux();
        }
        return utf8(blocking(() -> reads.monthStream(practiceId, m))
                            .flatMapMany(stream -> PracticeMonthStreams.json(stream, json)), buffers);
    }

    /** Text parts of a streamed answer as the response's UTF-8 buffers. */
    private static Flux<DataBuffer> utf8(Flux<String> parts, DataBufferFactory buffers) {
        return parts.map(part -> buffers.wrap(part.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The month's OIG risks from the audit feature's scan: shown beside the billing, never blocking it. */
    private Mono<java.util.List<FindMonthRisks.MonthRisk>> risks(String practiceId, YearMonth month) {
        return sender.queryList(new FindMonthRisks(new org.ccmledger.patient.PracticeId(practiceId), month),
                                FindMonthRisks.MonthRisk.class);
    }

    /** One JSON row per patient, evaluated and written in batches as the client reads. */
    @GetMapping(value = PRACTICE_MONTH, produces = "application/x-ndjson")
    Flux<PatientRow> practiceMonthStream(@PathVariable String practiceId, @PathVariable String month) {
        YearMonth m = Require.month(month);
        return blocking(() -> reads.patientsOf(practiceId, m))
                .flatMapMany(Flux::fromIterable)
                .buffer(STREAM_BATCH)
                .flatMapSequential(batch -> blocking(() -> reads.patientMonths(practiceId, batch, m)),
                                   PracticeMonthStreams.READ_AHEAD, 1)
                .flatMapIterable(views -> views.stream().map(PatientRow::of).toList());
    }

    /** The practice's month as CSV, streamed: the header, then the rows of each batch of patients as evaluated. */
    @GetMapping(value = PRACTICE_MONTH, produces = "text/csv")
    @ApiResponse(responseCode = "200", description = "OK", content = @Content(
            mediaType = "text/csv", schema = @Schema(type = "string")))
    Mono<ResponseEntity<Flux<DataBuffer>>> practiceMonthCsv(@PathVariable String practiceId,
                                                            @PathVariable String month,
                                                            ServerHttpResponse response) {
        YearMonth m = Require.month(month);
        DataBufferFactory buffers = response.bufferFactory();
        return blocking(() -> reads.monthStream(practiceId, m)).map(stream -> ResponseEntity.ok().contentType(CSV).body(
                utf8(PracticeMonthStreams.csv(stream, m), buffers)));
    }

    @PostMapping(PRACTICE_MONTH + "/close")
    Mono<MonthCloseResult> close(@PathVariable String practiceId, @PathVariable String month,
                                 ServerHttpRequest request) {
        YearMonth m = Require.month(month);
        // the risks are scanned after the close, so they see its statements
        return sender.metaData(request).flatMap(metaData -> blocking(() -> billing.close(practiceId, m, metaData)))
                     .flatMap(closed -> MonthCloseResult.issued(closed).isEmpty()
                             ? Mono.just(MonthCloseResult.of(practiceId, m, closed, List.of()))
                             : risks(practiceId, m).map(risks -> MonthCloseResult.of(practiceId, m, closed, risks)));
    }

    @GetMapping(PATIENT_MONTH + "/verification")
    Mono<StatementVerifier.Verification> verifyPatientMonth(@PathVariable String practiceId,
                                                            @PathVariable String patientId,
                                                            @PathVariable String month) {
        YearMonth m = Require.month(month);
        return blocking(() -> verification.verify(new BillingMonthId(EnrollmentId.of(practiceId, patientId), m)));
    }

    /** Every statement of a practice's month re-verified; {@code match} when each matches its recomputation. */
    record PracticeMonthVerification(String practiceId, YearMonth month, boolean match,
                                     List<StatementVerifier.Verification> statements) {
    }

    @GetMapping(PRACTICE_MONTH + "/verification")
    Mono<PracticeMonthVerification> verifyPracticeMonth(@PathVariable String practiceId, @PathVariable String month) {
        YearMonth m = Require.month(month);
        return blocking(() -> {
            List<StatementVerifier.Verification> statements = verification.verifyAll(practiceId, m);
            boolean match = statements.stream().allMatch(StatementVerifier.Verification::match);
            return new PracticeMonthVerification(practiceId, m, match, statements);
        });
    }

    /**
     * The month's claims as CSV, streamed: the header, the rows of each batch of patients' claims as they are read from
     * the ledger, then the voided claims.
     */
    @GetMapping(value = "/api/v1/practices/{practiceId}/claims/{month}", produces = "text/csv")
    @ApiResponse(responseCode = "200", description = "OK", content = @Content(
            mediaType = "text/csv", schema = @Schema(type = "string")))
    Mono<ResponseEntity<Flux<DataBuffer>>> claimsCsv(@PathVariable String practiceId, @PathVariable String month,
                                                     ServerHttpResponse response) {
        YearMonth m = Require.month(month);
        DataBufferFactory buffers = response.bufferFactory();
        return blocking(() -> claims.batches(practiceId, m)).map(batches -> {
            List<String> voided = new java.util.ArrayList<>();
            Flux<String> rows = Flux.fromIterable(batches).concatMap(batch -> blocking(() -> {
                ClaimsFeed.Feed part = claims.claims(practiceId, m, batch);
                synchronized (voided) {
                    voided.addAll(part.voided());
                }
                return ClaimsFeed.csvClaims(part.claims());
            }));
            Mono<String> end = Mono.fromCallable(() -> {
                synchronized (voided) {
                    return ClaimsFeed.csvVoided(voided);
                }
            });
            return ResponseEntity.ok().contentType(CSV).body(
                    utf8(Flux.concat(Mono.just(ClaimsFeed.CSV_HEADER), rows, end), buffers));
        });
    }

    /** The month's claims as a FHIR R4 bundle, streamed: each batch of patients' entries as its claims are read. */
    @GetMapping(value = "/api/v1/practices/{practiceId}/claims/{month}", produces = Accepts.FHIR_JSON_VALUE)
    @ApiResponse(responseCode = "200", description = "OK", content = @Content(
            mediaType = Accepts.FHIR_JSON_VALUE, schema = @Schema(type = "object")))
    Mono<ResponseEntity<Flux<DataBuffer>>> claimsFhir(@PathVariable String practiceId, @PathVariable String month,
                                                      ServerHttpResponse response) {
        YearMonth m = Require.month(month);
        return blocking(() -> {
            FhirClaimsFeed.Bundle bundle = fhir.bundle(practiceId, m);
            return ResponseEntity.ok().contentType(Accepts.FHIR_JSON).body(utf8(
                    // the first batch written here, before the answer starts (FhirClaimsFeed.Bundle#first)
                    Flux.concat(Mono.just(bundle.first()), Flux.fromIterable(bundle.rest())
                                                      .concatMap(b -> blocking(() -> bundle.entries(b))),
                                Mono.fromCallable(bundle::end)), response.bufferFactory()));
        });
    }

    /**
     * The month's claims not yet sent or changed since, as the practice's next 837P interchange ({@code since=last},
     * the only choice: a past interchange is fetched by its control number). Recorded in the export ledger before it
     * is answered; headers say what was withheld, held and left out, and the interchange's control number.
     */
    @GetMapping(value = "/api/v1/practices/{practiceId}/claims/{month}", produces = "application/edi-x12")
    Mono<ResponseEntity<String>> claimsX12(@PathVariable String practiceId, @PathVariable String month,
                                           @RequestParam(defaultValue = "last") String since,
                                           ServerHttpRequest request) {
        YearMonth m = Require.month(month);
        if (!"last".equals(since)) {
            return Mono.error(Refusal.malformed("INVALID_PARAMETER", "since must be 'last': a past interchange is "
                                                                    + "fetched from /claims/batches/{controlNumber}"));
        }
        return blocking(() -> batches.next(practiceId, m))
                .flatMap(prepared -> batches.record(practiceId, prepared, command -> sender.send(command, request)))
                .map(prepared -> {
                    var response = ResponseEntity.ok().contentType(X12)
                            .header("X-Interchange-Control-Number", Long.toString(prepared.command().controlNumber()))
                            .header("X-Claims-Withheld", String.join(",", prepared.withheld()))
                            .header("X-Claims-Held", String.join("; ", prepared.held()));
                    if (prepared.addOnsLeftOut() != null) {
                        response.header("X-Add-Ons-Left-Out", prepared.addOnsLeftOut());
                    }
                    return response.body(prepared.interchange());
                });
    }

    /** The practice's interchanges, oldest first, as the export ledger recorded them. */
    record ClaimBatchList(List<ClaimsBatchExported> batches) {
    }

    /** The practice's interchanges: control number, time, month, claim versions, SHA-256. */
    @GetMapping("/api/v1/practices/{practiceId}/claims/batches")
    Mono<ClaimBatchList> batches(@PathVariable String practiceId) {
        return blocking(() -> new ClaimBatchList(batches.history(new org.ccmledger.patient.PracticeId(practiceId))
                                                        .batches()));
    }

    /** A past interchange, byte for byte as it went out. */
    @GetMapping(value = "/api/v1/practices/{practiceId}/claims/batches/{controlNumber}",
                produces = "application/edi-x12")
    Mono<ResponseEntity<String>> batch(@PathVariable String practiceId, @PathVariable String controlNumber) {
        if (!controlNumber.matches("[0-9]{1,9}")) {
            return Mono.error(Refusal.malformed("INVALID_PARAMETER", "a control number is 1 to 9 digits"));
        }
        return blocking(() -> batches.batch(practiceId, Long.parseLong(controlNumber)))
                .map(body -> ResponseEntity.ok().contentType(X12).body(body));
    }

    record PayerReferenceRequest(String icn) {
    }

    /** Records the payer's claim control number (ICN) of a claim that went out: what its replacement must name. */
    @PostMapping("/api/v1/practices/{practiceId}/claims/{claimId}/payer-reference")
    Mono<ResponseEntity<Map<String, String>>> payerReference(@PathVariable String practiceId,
                                                             @PathVariable String claimId,
                                                             @RequestBody PayerReferenceRequest body,
                                                             ServerHttpRequest request) {
        RecordPayerReference command = new RecordPayerReference(
                new ClaimExportsId(new org.ccmledger.patient.PracticeId(practiceId)), claimId,
                Require.present(body.icn(), "icn"));
        return sender.created(command, request, Map.of("claimId", claimId, "icn", body.icn()))
                     .doOnNext(response -> batches.recorded(practiceId));
    }
}
