package org.ccmledger.integrity;

import static org.ccmledger.platform.web.Blocking.blocking;

import java.net.URI;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;

import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.integrity.IntegrityViews.DigestPage;
import org.ccmledger.integrity.IntegrityViews.DigestVerification;
import org.ccmledger.integrity.IntegrityViews.DigestView;
import org.ccmledger.integrity.IntegrityViews.PatientVerification;
import org.ccmledger.integrity.IntegrityViews.Progress;
import org.ccmledger.integrity.IntegrityViews.PublicKeyView;
import org.ccmledger.integrity.IntegrityViews.Report;
import org.ccmledger.platform.security.Callers;
import org.ccmledger.integrity.IntegrityViews.VerificationLine;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Integrity over HTTP: verifying the ledger (streamed progress as NDJSON, or the report as JSON) and a patient's
 * streams, taking and listing digests, checking one against today's ledger, and the public key. Every read of the
 * store runs off the event loop.
 */
@RestController
class IntegrityController {

    private static final String DIGESTS = "/api/v1/ledger/digests";
    private static final String PATIENT = "/api/v1/practices/{practiceId}/patients/{patientId}/verification";
    private static final String NDJSON = "application/x-ndjson";
    private static final MediaType PEM = MediaType.parseMediaType("application/x-pem-file");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");
    private static final int MAX_MONTHS = 120;
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final IntegrityService integrity;

    IntegrityController(IntegrityService integrity) {
        this.integrity = integrity;
    }

    @GetMapping(value = "/api/v1/ledger/verification", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Report> verifyLedger() {
        return Callers.current().flatMap(caller -> blocking(integrity::verifyLedger)
                .map(report -> report.visibleTo(caller.practices())));
    }

    /** A progress line after every block of global indexes, then the report; stops when the client goes away. */
    @GetMapping(value = "/api/v1/ledger/verification", produces = NDJSON)
    Flux<VerificationLine> verifyLedgerStreaming() {
        return Callers.current().flatMapMany(caller -> Flux.<VerificationLine>create(sink -> {
            try {
                Report report = integrity.verifyLedger((checkedUpTo, eventsChecked) -> {
                    if (sink.isCancelled()) {
                        throw new CancellationException("the client went away");
                    }
                    sink.next(Progress.of(checkedUpTo, eventsChecked));
                });
                sink.next(report.visibleTo(caller.practices()));
                sink.complete();
            } catch (CancellationException clientGone) {
                // nobody is listening any more: stop reading the ledger, report nothing
            }
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    @GetMapping(PATIENT)
    Mono<PatientVerification> verifyPatient(@PathVariable String practiceId, @PathVariable String patientId,
                                            @RequestParam(required = false) String months) {
        EnrollmentId patient = EnrollmentId.of(practiceId, patientId);
        List<YearMonth> billingMonths = months(months);
        return blocking(() -> integrity.verifyPatient(patient, billingMonths));
    }

    @PostMapping(DIGESTS)
    Mono<ResponseEntity<DigestView>> seal() {
        return blocking(integrity::seal).map(digest -> ResponseEntity
                .created(URI.create(DIGESTS + "/" + digest.sequence())).body(DigestView.of(digest)));
    }

    @GetMapping(DIGESTS)
    Mono<DigestPage> digests(@RequestParam(required = false) String cursor,
                             @RequestParam(required = false) String limit) {
        Long from = cursor == null ? null : number(cursor, "cursor");
        int size = limit == null ? DEFAULT_LIMIT : (int) Math.min(number(limit, "limit"), Integer.MAX_VALUE);
        if (size > MAX_LIMIT) {
            throw Refusal.malformed("INVALID_PARAMETER", "limit must be 1-" + MAX_LIMIT);
        }
        return blocking(() -> integrity.digests(from, size));
    }

    @GetMapping(DIGESTS + "/{sequence}")
    Mono<DigestView> digest(@PathVariable String sequence) {
        long number = number(sequence, "sequence");
        return blocking(() -> integrity.digest(number));
    }

    @GetMapping(DIGESTS + "/{sequence}/verification")
    Mono<DigestVerification> verifyDigest(@PathVariable String sequence) {
        long number = number(sequence, "sequence");
        return Callers.current().flatMap(caller -> blocking(() -> integrity.verify(number))
                .map(verification -> verification.visibleTo(caller.practices())));
    }

    @GetMapping(value = "/api/v1/ledger/public-key", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<PublicKeyView> publicKey() {
        return Mono.just(integrity.publicKey());
    }

    /** The PEM file itself, ready for {@code openssl pkeyutl -pubin -inkey}. */
    @GetMapping(value = "/api/v1/ledger/public-key", produces = "application/x-pem-file")
    Mono<ResponseEntity<String>> publicKeyPem() {
        return Mono.just(ResponseEntity.ok().contentType(PEM).body(integrity.publicKey().publicKeyPem()));
    }

    /** A positive whole number (a sequence number, a cursor, a page size). */
    private static long number(String value, String parameter) {
        if (!NUMBER.matcher(value).matches() || Long.parseLong(value) < 1) {
            throw Refusal.malformed("INVALID_PARAMETER", parameter + " must be a whole number from 1");
        }
        return Long.parseLong(value);
    }

    /** {@code yyyy-MM,yyyy-MM,…}, at most {@value #MAX_MONTHS}; none when absent. */
    static List<YearMonth> months(String months) {
        if (months == null || months.isBlank()) {
            return List.of();
        }
        List<String> values = Arrays.stream(months.split(",", -1)).map(String::trim).toList();
        if (values.size() > MAX_MONTHS || !values.stream().allMatch(v -> MONTH.matcher(v).matches()
                && Integer.parseInt(v.substring(5)) >= 1 && Integer.parseInt(v.substring(5)) <= 12)) {
            throw Refusal.malformed("INVALID_PARAMETER",
                                    "months must be up to " + MAX_MONTHS + " comma-separated yyyy-MM months");
        }
        return values.stream().map(YearMonth::parse).distinct().sorted().toList();
    }
}
