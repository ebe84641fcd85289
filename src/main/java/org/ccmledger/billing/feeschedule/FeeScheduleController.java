package org.ccmledger.billing.feeschedule;

import java.math.BigDecimal;
import java.util.List;

import org.ccmledger.billing.rules.FeeTable;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Uploads;
import org.springframework.core.io.buffer.DataBuffer;
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
 * Fee schedules over HTTP: import a year's CMS relative value file (platform admins; {@code cf} and {@code qpCf} the
 * year's conversion factors), and read a year's fee data in force with its imports.
 */
@RestController
class FeeScheduleController {

    private static final String YEAR = "/api/v1/reference/fee-schedules/{year}";

    private final FeeScheduleImports imports;
    private final FeeScheduleCatalog catalog;
    private final CommandSender sender;

    FeeScheduleController(FeeScheduleImports imports, FeeScheduleCatalog catalog, CommandSender sender) {
        this.imports = imports;
        this.catalog = catalog;
        this.sender = sender;
    }

    record ImportView(int year, int number, String version, int codes, BigDecimal conversionFactor,
                      BigDecimal qpConversionFactor, String fileSha256, String source, String carriedOverFrom) {
    }

    record ImportRecord(int number, String version, String fileSha256, String source) {
    }

    record YearView(FeeTable feeData, List<ImportRecord> imports) {
    }

    /** 201 with the new version; 422 naming line and column of a file that is not what CMS publishes. */
    @PostMapping(YEAR + "/imports")
    Mono<ResponseEntity<ImportView>> importFile(@PathVariable String year,
                                                @RequestParam(required = false) BigDecimal cf,
                                                @RequestParam(required = false) BigDecimal qpCf,
                                                @RequestParam(required = false) String source,
                                                @RequestBody Flux<DataBuffer> body, ServerHttpRequest request) {
        int y = parseYear(year);
        if (source != null && source.length() > 500) {
            return Mono.error(Refusal.malformed("INVALID_PARAMETER", "source must be at most 500 characters"));
        }
        return Uploads.bytes(body)
                      .flatMap(upload -> Mono.fromCallable(() -> imports.prepare(y, upload, cf, qpCf, source))
                                             .subscribeOn(Schedulers.boundedElastic()))
                      .flatMap(prepared -> sender.send(prepared.command(), request).thenReturn(prepared))
                      .doOnNext(prepared -> imports.imported(prepared.command().feeSchedule()))
                      .map(p -> ResponseEntity.status(HttpStatus.CREATED).body(new ImportView(
                              y, p.command().number(), p.command().version(), p.codes(), p.conversionFactor(),
                              p.qpConversionFactor(), p.command().fileSha256(), p.command().source(), p.base())));
    }

    /** The year's fee data in force, and every import of the year. */
    @GetMapping(YEAR)
    Mono<YearView> feeData(@PathVariable("year") String year) {
        int y = parseYear(year);
        return Mono.fromCallable(() -> {
            FeeTable table;
            try {
                table = FeeTable.of(catalog.current(y));
            } catch (IllegalArgumentException e) {
                throw Refusal.notFound("NO_RULE_DATA", "no fee data for " + y);
            }
            return new YearView(table, catalog.events(y).stream()
                                              .map(e -> new ImportRecord(e.number(), e.version(), e.fileSha256(),
                                                                         e.source()))
                                              .toList());
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private static int parseYear(String year) {
        if (!year.matches("20[0-9]{2}")) {
            throw Refusal.malformed("INVALID_PARAMETER", "year must be four digits, 2000-2099");
        }
        int y = Integer.parseInt(year);
        if (y < 2015) {
            throw Refusal.malformed("INVALID_PARAMETER", "year must be 2015 or later");
        }
        return y;
    }
}
