package org.ccmledger.console;

import static org.ccmledger.platform.web.Blocking.blocking;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.ccmledger.integrity.api.LedgerIntegrity;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.security.Callers;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The ledger's integrity (platform auditor): the latest digests, each downloadable as the exact text its signature
 * covers and the signature itself, the public key, the openssl command that checks them, and the whole ledger's
 * verification — with live progress when the page's script runs (the NDJSON stream), as a page of its own without.
 */
@Controller
class LedgerController {

    private static final String LEDGER = "/console/ledger";
    private static final int DIGESTS_SHOWN = 20;

    private final LedgerIntegrity integrity;

    LedgerController(LedgerIntegrity integrity) {
        this.integrity = integrity;
    }

    @GetMapping(LEDGER)
    Mono<Rendering> ledger() {
        return Pages.rendered(blocking(() -> Rendering.view("console/ledger")
                .modelAttribute("digests", integrity.latestDigests(DIGESTS_SHOWN))
                .modelAttribute("key", integrity.publicKey()).build()));
    }

    /** Without script: the check runs, then its report is the page. */
    @GetMapping(LEDGER + "/verification")
    Mono<Rendering> verification() {
        return Pages.rendered(Callers.current().flatMap(caller -> blocking(
                () -> integrity.verify(caller.practices(), (upTo, checked) -> {
                }))).map(check -> Rendering.view("console/ledger-check").modelAttribute("check", check).build()));
    }

    /** A progress line after each block of the ledger, then the report; stops when the page goes away. */
    @GetMapping(value = LEDGER + "/verification.ndjson", produces = "application/x-ndjson")
    @ResponseBody
    Flux<Map<String, Object>> verificationStream() {
        return Callers.current().flatMapMany(caller -> Flux.<Map<String, Object>>create(sink -> {
            try {
                LedgerIntegrity.Check check = integrity.verify(caller.practices(), (upTo, checked) -> {
                    if (sink.isCancelled()) {
                        throw new CancellationException("the page went away");
                    }
                    sink.next(Map.of("type", "progress", "checkedUpTo", upTo, "eventsChecked", checked));
                });
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("type", "report");
                report.put("intact", check.intact());
                report.put("eventsChecked", check.eventsChecked());
                report.put("highestIndex", check.highestIndex());
                report.put("firstBreak", check.firstBreak() == null ? "" : check.firstBreak());
                sink.next(report);
                sink.complete();
            } catch (CancellationException gone) {
                // nobody is listening any more: stop reading the ledger
            }
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    @GetMapping(LEDGER + "/public-key.pem")
    Mono<ResponseEntity<String>> publicKey() {
        return blocking(() -> file(integrity.publicKey().pem().getBytes(StandardCharsets.US_ASCII),
                                   "ccm-ledger-key.pem", MediaType.parseMediaType("application/x-pem-file")))
                .map(r -> ResponseEntity.status(r.getStatusCode()).headers(r.getHeaders())
                                        .body(new String(r.getBody(), StandardCharsets.US_ASCII)));
    }

    /** One digest checked, as {@code GET /api/v1/ledger/digests/{sequence}/verification}. */
    @GetMapping(LEDGER + "/digests/{sequence}/verification")
    Mono<Rendering> digestCheck(@PathVariable String sequence) {
        long number = sequence(sequence);
        return Pages.rendered(Callers.current().flatMap(caller -> blocking(
                () -> integrity.verifyDigest(caller.practices(), number)))
                .map(check -> Rendering.view("console/digest-check").modelAttribute("check", check).build()));
    }

    /** The exact bytes the digest's signature covers. */
    @GetMapping(LEDGER + "/digests/{sequence}.txt")
    Mono<ResponseEntity<byte[]>> signedText(@PathVariable String sequence) {
        long number = sequence(sequence);
        return blocking(() -> file(integrity.digest(number).signedText().getBytes(StandardCharsets.UTF_8),
                                   "digest-" + number + ".txt", MediaType.TEXT_PLAIN));
    }

    /** The signature, as raw bytes (what {@code openssl pkeyutl -sigfile} reads). */
    @GetMapping(LEDGER + "/digests/{sequence}.sig")
    Mono<ResponseEntity<byte[]>> signature(@PathVariable String sequence) {
        long number = sequence(sequence);
        return blocking(() -> file(Base64.getDecoder().decode(integrity.digest(number).signature()),
                                   "digest-" + number + ".sig", MediaType.APPLICATION_OCTET_STREAM));
    }

    private static ResponseEntity<byte[]> file(byte[] body, String name, MediaType type) {
        return ResponseEntity.ok().contentType(type)
                             .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                             .body(body);
    }

    private static long sequence(String value) {
        if (!value.matches("[0-9]{1,18}") || Long.parseLong(value) < 1) {
            throw Refusal.malformed("INVALID_PARAMETER", "a digest's sequence is a whole number from 1");
        }
        return Long.parseLong(value);
    }
}
