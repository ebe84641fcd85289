package org.ccmledger.console;

import static org.ccmledger.platform.web.Blocking.blocking;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ccmledger.billing.api.BillingViews.PatientRow;
import org.ccmledger.billing.api.BillingViews.Status;
import org.ccmledger.billing.api.BillingViews.PracticeMonthTotals;
import org.ccmledger.billing.api.FindMonthRisks;
import org.ccmledger.billing.api.FindMonthRisks.MonthRisk;
import org.ccmledger.billing.api.FindPatientMonthRisks;
import org.ccmledger.billing.api.FindPracticeMonthPatients;
import org.ccmledger.billing.api.FindPracticeMonthRows;
import org.ccmledger.billing.api.FindPracticeMonthTotals;
import org.ccmledger.billing.api.PracticeMonths;
import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.Require;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Mono;

/**
 * A practice's month (billing, compliance): its patients with family, lines, amount, status, blockers by rule and OIG
 * risks, filtered and paged with only the page's patients evaluated; totals by code and practitioner, and the risks
 * across patients, loaded after the rows; and closing it (billing) after a confirmation that shows what will be
 * issued. Read from the billing feature's read model, as {@code GET .../billing/{month}}. Its downloads are
 * {@link PracticeMonthDownloads}.
 */
@Controller
class PracticeMonthController {

    private static final String MONTH = "/console/practices/{practiceId}/months/{month}";
    static final int PAGE_SIZE = 50;
    /** Patients a filtered page evaluates together, and at most per request before it says how far it looked. */
    static final int SCAN_BATCH = 100;
    static final int SCAN_LIMIT = 1_000;
    private static final List<String> FILTERS = List.of("all", "billable", "near", "blocked", "at-risk", "closed",
                                                        "adjusted");
    /** How close to its next code or unit an open month is "near a threshold" while the month has days left. */
    static final int NEAR_MINUTES = 5;

    private final CommandSender sender;
    private final PracticeMonths months;

    PracticeMonthController(CommandSender sender, PracticeMonths months) {
        this.sender = sender;
        this.months = months;
    }

    /**
     * The month's rows, a page at a time, evaluated only for the page: all patients by page number in patient id
     * order; a filter looks through the patients from a cursor ({@code after}, the last patient id looked at) a batch
     * at a time until it has a page of matches or has looked at {@value #SCAN_LIMIT} patients, and says how far it has
     * looked. The totals, which need every patient, load after the rows ({@link #totals}).
     */
    @GetMapping(MONTH)
    Mono<Rendering> month(@PathVariable String practiceId, @PathVariable String month,
                          @RequestParam(defaultValue = "all") String show, @RequestParam(defaultValue = "1") int page,
                          @RequestParam(required = false) String after) {
        YearMonth m = Require.month(month);
        PracticeId practice = new PracticeId(practiceId);
        String filter = FILTERS.contains(show) ? show : "all";
        long daysLeft = daysLeft(m, LocalDate.now(ZoneOffset.UTC));
        Mono<Rendering.Builder<?>> shown = sender.queryList(new FindPracticeMonthPatients(practice, m), String.class)
                .flatMap(ids -> filter.equals("all") ? allPage(practice, m, ids, page)
                        : filteredPage(practice, m, ids, filter, daysLeft, after));
        return Pages.rendered(shown.map(view -> view
                .modelAttribute("practiceId", practiceId).modelAttribute("yearMonth", m.toString())
                .modelAttribute("show", filter).modelAttribute("filters", FILTERS)
                .modelAttribute("daysLeft", daysLeft).modelAttribute("nearMinutes", NEAR_MINUTES)
                .modelAttribute("previousMonth", m.minusMonths(1).toString())
                .modelAttribute("nextMonth", m.plusMonths(1).toString()).build()));
    }

    private Mono<Rendering.Builder<?>> allPage(PracticeId practice, YearMonth m, List<String> ids, int page) {
        int pages = Math.max(1, (ids.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int current = Math.min(Math.max(page, 1), pages);
        List<String> slice = ids.subList((current - 1) * PAGE_SIZE, Math.min(ids.size(), current * PAGE_SIZE));
        return rows(practice, m, slice).zipWith(risks(practice, m, slice))
                .map(shown -> Rendering.view("console/month").modelAttribute("rows", shown.getT1())
                        .modelAttribute("risks", shown.getT2())
                        .modelAttribute("patientCount", ids.size()).modelAttribute("page", current)
                        .modelAttribute("pages", pages).modelAttribute("scanned", ids.size()));
    }

    private Mono<Rendering.Builder<?>> filteredPage(PracticeId practice, YearMonth m, List<String> ids, String filter,
                                                    long daysLeft, String after) {
        int from = after == null ? 0 : firstAfter(ids, after);
        Map<String, List<MonthRisk>> risksFound = new HashMap<>();
        java.util.function.Function<List<String>, Mono<List<PatientRow>>> matching = !filter.equals("at-risk")
                ? batch -> rows(practice, m, batch).map(rows -> rows.stream()
                                                                    .filter(row -> shows(filter, row, daysLeft))
                                                                    .toList())
                : batch -> risks(practice, m, batch).flatMap(risks -> {
                    risksFound.putAll(risks);
                    return rows(practice, m, batch.stream().filter(risks::containsKey).toList());
                });
        return scan(ids, from, from, matching, new ArrayList<>()).flatMap(scan -> {
            List<String> shown = scan.rows().stream().map(PatientRow::patientId).toList();
            Mono<Map<String, List<MonthRisk>>> risks = filter.equals("at-risk") ? Mono.just(risksFound)
                    : risks(practice, m, shown);
            return risks.map(pageRisks -> {
                Rendering.Builder<?> view = Rendering.view("console/month").modelAttribute("rows", scan.rows())
                        .modelAttribute("risks", pageRisks)
                        .modelAttribute("patientCount", ids.size()).modelAttribute("page", 1)
                        .modelAttribute("pages", 1).modelAttribute("lookedFrom", from + 1)
                        .modelAttribute("scanned", scan.next()).modelAttribute("first", after != null);
                return scan.next() < ids.size() ? view.modelAttribute("after", ids.get(scan.next() - 1)) : view;
            });
        });
    }

    /** Rows of a filter's page and the index of the first patient not looked at. */
    private record Scan(List<PatientRow> rows, int next) {
    }

    private Mono<Scan> scan(List<String> ids, int start, int from,
                            java.util.function.Function<List<String>, Mono<List<PatientRow>>> matching,
                            List<PatientRow> found) {
        if (from >= ids.size() || found.size() >= PAGE_SIZE || from - start >= SCAN_LIMIT) {
            return Mono.just(new Scan(found, from));
        }
        List<String> batch = ids.subList(from, Math.min(ids.size(), from + SCAN_BATCH));
        return matching.apply(batch).flatMap(rows -> {
            int next = from + batch.size();
            for (PatientRow row : rows) {
                found.add(row);
                if (found.size() == PAGE_SIZE) {
                    // the page is full: the next page starts after this patient
                    next = firstAfter(ids, row.patientId());
                    break;
                }
            }
            return scan(ids, start, next, matching, found);
        });
    }

    /** The index of the first patient id after {@code after} in the sorted ids. */
    static int firstAfter(List<String> ids, String after) {
        int at = java.util.Collections.binarySearch(ids, after);
        return at >= 0 ? at + 1 : -at - 1;
    }

    private Mono<List<PatientRow>> rows(PracticeId practice, YearMonth m, List<String> ids) {
        return ids.isEmpty() ? Mono.just(List.of())
                : sender.queryList(new FindPracticeMonthRows(practice, m, ids), PatientRow.class);
    }

    /** The OIG risks of some patients (their own records), by patient id; a patient without any is not a key. */
    private Mono<Map<String, List<MonthRisk>>> risks(PracticeId practice, YearMonth m, List<String> ids) {
        return ids.isEmpty() ? Mono.just(Map.of())
                : sender.queryList(new FindPatientMonthRisks(practice, m, ids), MonthRisk.class)
                        .map(risks -> risks.stream().collect(java.util.stream.Collectors.groupingBy(
                                MonthRisk::patientId, java.util.LinkedHashMap::new,
                                java.util.stream.Collectors.toList())));
    }

    /**
     * The month's totals by code and practitioner, summed over every patient a batch at a time: loaded into the month
     * page after its rows (htmx, {@code HX-Request}: the section alone), or a page of its own by the page's link.
     */
    @GetMapping(MONTH + "/totals")
    Mono<Rendering> totals(@PathVariable String practiceId, @PathVariable String month,
                           @RequestHeader(name = "HX-Request", required = false) String htmx) {
        YearMonth m = Require.month(month);
        return Pages.rendered(sender.query(new FindPracticeMonthTotals(new PracticeId(practiceId), m),
                                           PracticeMonthTotals.class)
                .map(totals -> Rendering.view("true".equals(htmx) ? "console/month-totals :: totals"
                                                      : "console/month-totals")
                                        .modelAttribute("totals", totals).build()));
    }

    /** One kind of risk over the month: how many patients and findings, and how many findings have a review. */
    record RiskKind(String risk, String rule, long patients, long findings, long reviewed) {
    }

    /**
     * The month's OIG risks over every patient (the audit feature's scan): counts by kind and one clinician's time
     * overlapping across patients, which no page of rows can show. Loaded into the month page after its rows (htmx,
     * {@code HX-Request}: the section alone), or a page of its own by the page's link.
     */
    @GetMapping(MONTH + "/risks")
    Mono<Rendering> monthRisks(@PathVariable String practiceId, @PathVariable String month,
                               @RequestHeader(name = "HX-Request", required = false) String htmx) {
        YearMonth m = Require.month(month);
        return Pages.rendered(sender.queryList(new FindMonthRisks(new PracticeId(practiceId), m), MonthRisk.class)
                .map(found -> Rendering.view("true".equals(htmx) ? "console/month-risks :: risks"
                                                     : "console/month-risks")
                        .modelAttribute("practiceId", practiceId).modelAttribute("yearMonth", m.toString())
                        .modelAttribute("findings", found.size())
                        .modelAttribute("patients", found.stream().map(MonthRisk::patientId).distinct().count())
                        .modelAttribute("kinds", kinds(found))
                        .modelAttribute("overlaps", found.stream().filter(r -> r.risk().equals(OVERLAP))
                                                         .limit(OVERLAPS_SHOWN).toList())
                        .modelAttribute("moreOverlaps", Math.max(0, found.stream()
                                .filter(r -> r.risk().equals(OVERLAP)).count() - OVERLAPS_SHOWN))
                        .build()));
    }

    private static final String OVERLAP = "OVERLAPPING_CLINICIAN_TIME";
    /** Overlap findings listed on the page; the API's risk scan (JSON, CSV) lists them all. */
    static final int OVERLAPS_SHOWN = 100;

    static List<RiskKind> kinds(List<MonthRisk> found) {
        Map<String, List<MonthRisk>> byKind = new java.util.TreeMap<>();
        found.forEach(r -> byKind.computeIfAbsent(r.risk(), k -> new ArrayList<>()).add(r));
        return byKind.values().stream().map(rs -> new RiskKind(
                rs.get(0).risk(), rs.get(0).rule(), rs.stream().map(MonthRisk::patientId).distinct().count(),
                rs.size(), rs.stream().filter(r -> r.reviews() > 0).count())).toList();
    }

    /**
     * What closing will do: how many statements will be issued and for how much by code, the open patients it leaves
     * out by blocking rule, and the first {@value ClosePreview#LISTED} of each; every patient evaluated
     * {@value #SCAN_BATCH} at a time, so the page holds counts rather than every row.
     */
    @GetMapping(MONTH + "/close")
    Mono<Rendering> confirmClose(@PathVariable String practiceId, @PathVariable String month) {
        YearMonth m = Require.month(month);
        PracticeId practice = new PracticeId(practiceId);
        return Pages.rendered(sender.queryList(new FindPracticeMonthPatients(practice, m), String.class)
                .flatMap(ids -> reactor.core.publisher.Flux.fromIterable(ids).buffer(SCAN_BATCH)
                        .concatMap(batch -> rows(practice, m, batch))
                        .reduce(new ClosePreview(), ClosePreview::add)
                        .map(preview -> Rendering.view("console/close").modelAttribute("practiceId", practiceId)
                                .modelAttribute("yearMonth", m.toString()).modelAttribute("patientCount", ids.size())
                                .modelAttribute("preview", preview).modelAttribute("listed", ClosePreview.LISTED)
                                .build())));
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

    /** Whether a row shows under a filter that its row alone decides (every filter but {@code at-risk}). */
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
}
