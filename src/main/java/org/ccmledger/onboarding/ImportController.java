package org.ccmledger.onboarding;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

import org.ccmledger.platform.ids.RandomIds;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.CommandSender;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.StringDecoder;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The onboarding import over HTTP: NDJSON in, one report line per input line out as each is decided (NDJSON), then a
 * summary. One import per practice at a time (409 {@code IMPORT_RUNNING}). Lines run in file order per patient.
 */
@RestController
class ImportController {

    /** The longest line read; the API's bodies are at most this large too. */
    static final int MAX_LINE_BYTES = 64 * 1024;
    /**
     * Lines of a lane written in one commit at most, and how long a lane waits to fill a batch. 250 rather than 100: a
     * commit rewrites each page it touches whole, so fewer, larger commits write less for the same lines (the first
     * import after a start of a 10,000-patient file by date: 1,064–1,169 events/s against 991–1,004; 500 was no
     * faster, docs/performance.md).
     */
    static final int BATCH = 250;
    static final Duration BATCH_WAIT = Duration.ofMillis(20);

    private final HistoryImport imports;
    private final ImportLines lines;
    private final CommandSender sender;

    ImportController(HistoryImport imports, ImportLines lines, CommandSender sender) {
        this.imports = imports;
        this.lines = lines;
        this.sender = sender;
    }

    /** The import's closing line: how many lines it read and what became of them. */
    record ImportSummary(String importId, long lines, long accepted, long duplicate, long refused) {
    }

    /** The import's last line, after every line's outcome. */
    record ImportSummaryLine(ImportSummary summary) {
    }

    @io.swagger.v3.oas.annotations.Operation(requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true, content = @io.swagger.v3.oas.annotations.media.Content(
                    mediaType = MediaType.APPLICATION_NDJSON_VALUE,
                    schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string",
                                                                         description = "NDJSON: one fact per line"))),
            responses = @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200",
                    content = @io.swagger.v3.oas.annotations.media.Content(
                            mediaType = MediaType.APPLICATION_NDJSON_VALUE,
                            array = @io.swagger.v3.oas.annotations.media.ArraySchema(
                                    schema = @io.swagger.v3.oas.annotations.media.Schema(type = "object",
                                            oneOf = {LineOutcome.class, ImportSummaryLine.class})))))
    @PostMapping(value = "/api/v1/practices/{practiceId}/import",
                 consumes = {MediaType.APPLICATION_NDJSON_VALUE, MediaType.TEXT_PLAIN_VALUE},
                 produces = MediaType.APPLICATION_NDJSON_VALUE)
    Flux<Object> importHistory(@PathVariable String practiceId, ServerHttpRequest request) {
        String importId = RandomIds.uuid().toString();
        return sender.metaData(request).flatMapMany(caller -> Mono.fromCallable(() -> lines.lease(practiceId,
                                                                                                  importId))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(leased -> {
                    if (!leased) {
                        return Flux.error(Refusal.conflict("IMPORT_RUNNING", "another import of this practice is "
                                + "running; one import per practice at a time"));
                    }
                    // released before the response ends, so a client that has read it all may import again at once;
                    // an import cut off (the client gone, a failure) keeps the practice until its lease runs out: a
                    // batch it interrupted may still reach the ledger, and the next import must not send that
                    // batch's lines again before then
                    return run(imports.new Run(practiceId, importId, caller), request)
                            .concatWith(Mono.fromRunnable(() -> lines.release(practiceId, importId))
                                            .subscribeOn(Schedulers.boundedElastic()).then(Mono.empty()));
                }));
    }

    private Flux<Object> run(HistoryImport.Run run, ServerHttpRequest request) {
        StringDecoder decoder = StringDecoder.allMimeTypes();
        decoder.setMaxInMemorySize(MAX_LINE_BYTES);
        Flux<String> raw = decoder.decode(request.getBody(), ResolvableType.forClass(String.class), null, Map.of());
        AtomicLongArray counts = new AtomicLongArray(LineOutcome.Status.values().length);
        Flux<LineOutcome> outcomes = raw.index()
                .filter(line -> !line.getT2().isBlank())
                .map(line -> run.read(line.getT1() + 1, line.getT2()))
                .groupBy(ImportLineReader.Read::lane)
                .flatMap(lane -> lane.bufferTimeout(BATCH, BATCH_WAIT, true)
                                     .concatMap(batch -> Mono.fromCallable(() -> run.send(batch))
                                                             .subscribeOn(Schedulers.boundedElastic()))
                                     .flatMapIterable(batch -> batch), HistoryImport.LANES)
                .doOnNext(outcome -> counts.incrementAndGet(outcome.status().ordinal()));
        return outcomes.cast(Object.class).concatWith(Mono.fromSupplier(() -> {
            long accepted = counts.get(LineOutcome.Status.ACCEPTED.ordinal());
            long duplicate = counts.get(LineOutcome.Status.DUPLICATE.ordinal());
            long refused = counts.get(LineOutcome.Status.REFUSED.ordinal());
            return new ImportSummaryLine(new ImportSummary(run.importId(), accepted + duplicate + refused, accepted,
                                                           duplicate, refused));
        }));
    }
}
