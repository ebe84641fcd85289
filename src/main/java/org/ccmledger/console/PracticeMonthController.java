package org.ccmledger.console;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import org.ccmledger.billing.api.BillingViews.PatientRow;
import org.ccmledger.billing.api.BillingViews.PracticeMonthView;
import org.ccmledger.billing.api.BillingViews.Status;
import org.ccmledger.billing.api.FindPracticeMonth;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A practice's month (billing, compliance): its patients with family, lines, amount, status and blockers by rule,
 * filtered and paged, totals by code and practitioner; its downloads; and closing it (billing) after a confirmation
 * that shows what will be issued. Read from the billing feature's read model, as {@code GET .../billing/{month}}.
 */
@Controller
class PracticeMonthController {

    private static final String MONTH = "/console/practices/{practiceId}/months/{month}";
    static final int PAGE_SIZE = 50;
    private static final List<String> FILTERS = List.of("all", "billable", "near", "blocked", "closed", "adjusted");
    /** How close to its next code or unit an open month is "near a threshold" while the month has days left. */
    static final int NEAR_MINUTES = 5;

    private final CommandSender sender;
    private final PracticeMonths months;

    PracticeMonthController(CommandSender sender, PracticeMonths months) {
        this.sender = sender;
        this.months = months;
    }

    @GetMapping(MONTH)
    Mono<Rendering> month(@PathVariable String practiceId, @PathVariable String month,
                          @RequestParam(defaultValue = "all") String show, @RequestParam(defaultValue = "1") int page) {
        YearMonth m = Require.month(month);
        String filter = FILTERS.contains(show) ? show : "all";
        long daysLeft = daysLeft(m, LocalDate.now(ZoneOffset.UTC));
        return Pages.rendered(view(practiceId, m).map(view -> {
            List<PatientRow> shown = view.patients().stream().filter(row -> shows(filter, row, daysLeft)).toList();
            int pages = Math.max(1, (shown.size() + PAGE_SIZE - 1) / PAGE_SIZE);
            int current = Math.min(Math.max(page, 1), pages);
            List<PatientRow> rows = shown.subList((current - 1) * PAGE_SIZE,
                                                  Math.min(shown.size(), current * PAGE_SIZE));
            return Rendering.view("console/month").modelAttribute("view", view).modelAttribute("rows", rows)
                            .modelAttribute("show", filter).modelAttribute("filters", FILTERS)
                            .modelAttribute("matching", shown.size()).modelAttribute("page", current)
                            .modelAttribute("pages", pages)
                            .modelAttribute("daysLeft", daysLeft).modelAttribute("nearMinutes", NEAR_MINUTES)
                            .modelAttribute("previousMonth", m.minusMonths(1).toString())
                            .modelAttribute("nextMonth", m.plusMonths(1).toString()).build();
        }));
    }

    /** What closing will do: the patients a statement will be issued for, and those it leaves out and why. */
    @GetMapping(MONTH + "/close")
    Mono<Rendering> confirmClose(@PathVariable String practiceId, @PathVariable String month) {
        YearMonth m = Require.month(month);
        return Pages.rendered(view(practiceId, m).map(view -> Rendering.view("console/close")
                .modelAttribute("view", view)
                .modelAttribute("issued", view.patients().stream().filter(PracticeMonthController::willIssue).toList())
                .modelAttribute("left", view.patients().stream()
                                            .filter(r -> r.status() == Status.OPEN && !willIssue(r)).toList())
                .modelAttribute("closedAlready", view.patients().stream()
                                                     .filter(r -> r.status() != Status.OPEN).count())
                .build()));
    }

    @PostMapping(MONTH + "/close")
    Mono<Rendering> close(@PathVariable String practiceId, @PathVariable String month, ServerHttpRequest request) {
        YearMonth m = Require.month(month);
        return Pages.rendered(sender.metaData(request)
                     .flatMap(metaData -> blocking(() -> months.close(new PracticeId(practiceId), m, metaData)))
                     .map(closed -> Rendering.view("console/closed").modelAttribute("practiceId", practiceId)
                                             .modelAttribute("month", m.toString())
                                             .modelAttribute("closed", closed)
                                             .modelAttribute("issuedCount", closed.stream()
                                                     .filter(c -> c.status().equals("ISSUED")).count())
                                             .build()));
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

    private Mono<PracticeMonthView> view(String practiceId, YearMonth month) {
        return sender.query(new FindPracticeMonth(new PracticeId(practiceId), month), PracticeMonthView.class);
    }

    static boolean willIssue(PatientRow row) {
        return row.status() == Status.OPEN && row.blockers().isEmpty() && !row.lines().isEmpty();
    }

    /** The days of the month still to come, today included; 0 for a past month. */
    static long daysLeft(YearMonth month, LocalDate today) {
        if (month.isBefore(YearMonth.from(today))) {
            return 0;
        }
        LocalDate from = month.equals(YearMonth.from(today)) ? today : month.atDay(1);
        return java.time.temporal.ChronoUnit.DAYS.between(from, month.atEndOfMonth()) + 1;
    }

    /**
     * Near a threshold: open, with days left, within {@value #NEAR_MINUTES} minutes of its next code or unit (R2), and
     * blocked by nothing but the minutes themselves, so that more care time would bill.
     */
    static boolean near(PatientRow row, long daysLeft) {
        return row.status() == Status.OPEN && daysLeft > 0 && row.nextUnit() != null
               && row.nextUnit().minutesToGo() <= NEAR_MINUTES
               && row.blockers().stream().allMatch(b -> b.rule().equals("R2"));
    }

    private static boolean shows(String filter, PatientRow row, long daysLeft) {
        return switch (filter) {
            case "billable" -> willIssue(row);
            case "near" -> near(row, daysLeft);
            case "blocked" -> !row.blockers().isEmpty();
            case "closed" -> row.status() == Status.CLOSED;
            case "adjusted" -> row.status() == Status.ADJUSTED;
            default -> true;
        };
    }

    private static final String CSV = "text/csv;charset=UTF-8";

    private static ResponseEntity<String> attachment(String body, String type, String name) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(type))
                             .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                             .body(body);
    }

    private static <T> Mono<T> blocking(java.util.concurrent.Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
