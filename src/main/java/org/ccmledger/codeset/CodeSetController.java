package org.ccmledger.codeset;

import static org.ccmledger.platform.web.Blocking.blocking;

import java.time.LocalDate;
import java.util.List;

import org.ccmledger.codeset.api.Billability;
import org.ccmledger.codeset.api.LoadIcd10Edition;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Uploads;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The ICD-10-CM code sets over HTTP: load an edition (the CDC/NCHS code file, text or gzip, platform admins), list the
 * editions, and ask whether a code is billable on a date.
 */
@RestController
class CodeSetController {

    static final String EDITIONS = "/api/v1/reference/icd10cm/editions";

    private final Icd10Loading loading;
    private final Icd10CodeSets codeSets;
    private final CommandSender sender;

    CodeSetController(Icd10Loading loading, Icd10CodeSets codeSets, CommandSender sender) {
        this.loading = loading;
        this.codeSets = codeSets;
        this.sender = sender;
    }

    /** One edition as listed. */
    record EditionView(String edition, LocalDate effectiveFrom, LocalDate effectiveTo, int codeCount,
                       String fileSha256, String codesSha256, String source) {

        static EditionView of(Icd10Edition e) {
            return new EditionView(e.name(), e.effectiveFrom(), e.effectiveTo(), e.codes().length, e.fileSha256(),
                                   e.codesSha256(), e.source());
        }
    }

    /** 201 with the edition as recorded; 422 naming the line of a bad file; 409 for an edition loaded already. */
    @PostMapping(EDITIONS)
    Mono<ResponseEntity<EditionView>> load(@RequestParam String edition,
                                           @RequestParam(required = false)
                                           @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate effectiveFrom,
                                           @RequestParam(required = false)
                                           @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate effectiveTo,
                                           @RequestParam(required = false) String source,
                                           @RequestBody Flux<DataBuffer> body, ServerHttpRequest request) {
        Icd10Loading.Edition named = Icd10Loading.Edition.of(edition, effectiveFrom, effectiveTo, source);
        return Uploads.bytes(body)
                      .flatMap(upload -> Mono.fromCallable(() -> loading.prepare(upload, named))
                                             .subscribeOn(Schedulers.boundedElastic()))
                      .flatMap(command -> sender.send(command, request).thenReturn(command))
                      .doOnNext(command -> loading.loaded())
                      .map(command -> ResponseEntity.status(HttpStatus.CREATED).body(view(command)));
    }

    /** Every edition, shipped and loaded. */
    record EditionList(List<EditionView> editions) {
    }

    @GetMapping(EDITIONS)
    Mono<EditionList> editions() {
        return Mono.fromCallable(() -> new EditionList(codeSets.editions().stream().map(EditionView::of).toList()))
                   .subscribeOn(Schedulers.boundedElastic());
    }

    /** Whether a code is billable on a date (default today), by the edition in force then. */
    @GetMapping("/api/v1/reference/icd10cm/codes/{code}")
    Mono<Billability> code(@PathVariable String code,
                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                           LocalDate on) {
        if (code.length() > 16) {
            return Mono.error(org.ccmledger.platform.problem.Refusal.malformed("INVALID_PARAMETER",
                                                                               "an ICD-10-CM code is at most 8 "
                                                                               + "characters"));
        }
        LocalDate date = on != null ? on : LocalDate.now(java.time.ZoneOffset.UTC);
        return blocking(() -> codeSets.billability(code, date));
    }

    private static EditionView view(LoadIcd10Edition command) {
        return new EditionView(command.edition(), command.effectiveFrom(), command.effectiveTo(),
                               command.codeCount(), command.fileSha256(), command.codesSha256(), command.source());
    }
}
