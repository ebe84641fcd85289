package org.ccmledger.console;

import static org.ccmledger.platform.web.Blocking.blocking;

import java.time.YearMonth;

import org.ccmledger.billing.api.PracticeMonths;
import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Require;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

import reactor.core.publisher.Mono;

/**
 * A practice month's downloads from the console, as attachments: the month's rows (CSV, NDJSON) and its claims (CSV,
 * FHIR R4 bundle, and the practice's next X12 837P interchange, which the export ledger records). The same bodies as
 * the API's ({@link PracticeMonths}); {@link PracticeMonthController} shows the month and links here.
 */
@Controller
class PracticeMonthDownloads {

    private static final String MONTH = "/console/practices/{practiceId}/months/{month}";

    private final CommandSender sender;
    private final PracticeMonths months;

    PracticeMonthDownloads(CommandSender sender, PracticeMonths months) {
        this.sender = sender;
        this.months = months;
    }

    @GetMapping(MONTH + "/practice-month.csv")
    Mono<ResponseEntity<String>> csv(@PathVariable String practiceId, @PathVariable String month) {
        YearMonth m = Require.month(month);
        return blocking(() -> months.csv(new PracticeId(practiceId), m))
                .map(body -> attachment(body, CSV, "practice-month-" + m + ".csv"));
    }

    @GetMapping(MONTH + "/claims.csv")
    Mono<ResponseEntity<String>> claims(@PathVariable String practiceId, @PathVariable String month) {
        YearMonth m = Require.month(month);
        return blocking(() -> months.claimsCsv(new PracticeId(practiceId), m))
                .map(body -> attachment(body, CSV, "claims-" + m + ".csv"));
    }

    @GetMapping(MONTH + "/practice-month.ndjson")
    Mono<ResponseEntity<String>> ndjson(@PathVariable String practiceId, @PathVariable String month) {
        YearMonth m = Require.month(month);
        return blocking(() -> months.ndjson(new PracticeId(practiceId), m))
                .map(body -> attachment(body, "application/x-ndjson", "practice-month-" + m + ".ndjson"));
    }

    @GetMapping(MONTH + "/claims.fhir.json")
    Mono<ResponseEntity<String>> claimsFhir(@PathVariable String practiceId, @PathVariable String month) {
        YearMonth m = Require.month(month);
        return blocking(() -> months.claimsFhir(new PracticeId(practiceId), m))
                .map(body -> attachment(body, "application/fhir+json", "claims-" + m + ".fhir.json"));
    }

    /**
     * The practice's next 837P interchange for the month: a form (POST), not a link, since it is recorded in the export
     * ledger and claims in it count as sent, as {@code GET .../claims/{month}} with {@code Accept: application/edi-x12}.
     */
    @PostMapping(MONTH + "/claims.x12")
    Mono<ResponseEntity<String>> claimsX12(@PathVariable String practiceId, @PathVariable String month,
                                           ServerHttpRequest request) {
        YearMonth m = Require.month(month);
        return sender.metaData(request)
                     .flatMap(metaData -> blocking(() -> months.claimsX12(new PracticeId(practiceId), m, metaData)))
                     .map(sent -> attachment(sent.text(), "application/edi-x12",
                                             "claims-" + m + "-" + sent.controlNumber() + ".x12"));
    }

    private static final String CSV = "text/csv;charset=UTF-8";

    private static ResponseEntity<String> attachment(String body, String type, String name) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(type))
                             .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                             .body(body);
    }
}
