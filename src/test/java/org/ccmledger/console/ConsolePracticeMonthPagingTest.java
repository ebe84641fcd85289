package org.ccmledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.ccmledger.platform.security.Role;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PracticeMonthHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.MediaType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The console's practice month for a practice larger than a page (issue 17 item 2, large practices): rows a page at a
 * time in patient id order, filters that look through the patients in batches from a cursor, and the totals loaded
 * after the rows, all equal to what the API's practice month answers in one piece.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsolePracticeMonthPagingTest extends HttpTestBase {

    private static final String PRACTICE = "cons-pg1";
    /** More than two pages of 50, and more than a filter's batch of 100. */
    private static final int PATIENTS = 130;
    private static final String MONTH = "/console/practices/" + PRACTICE + "/months/" + PracticeMonthHistory.MONTH;
    private static final Pattern ROW = Pattern.compile("<tr data-patient=\"([^\"]+)\"");
    private static final Pattern NEXT = Pattern.compile("<a id=\"next-page\" href=\"([^\"]+)\"");

    private JsonNode api;

    @BeforeAll
    void importTheMonth() {
        clientAs("admin-1", Set.of(Role.ADMIN)).mutate().responseTimeout(Duration.ofMinutes(5)).build().post()
                .uri("/api/v1/practices/" + PRACTICE + "/import").contentType(MediaType.APPLICATION_NDJSON)
                .accept(MediaType.APPLICATION_NDJSON).bodyValue(PracticeMonthHistory.ndjson(PATIENTS)).exchange()
                .expectStatus().isOk();
        int last = PATIENTS - 1;
        int lastMinutes = IntStream.rangeClosed(1, PracticeMonthHistory.entries(last))
                                   .map(e -> PracticeMonthHistory.minutes(last, e)).sum();
        // the billing read model has every patient once it has the last patient's last entry (one processor, in order)
        Awaitility.await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            api = apiMonth();
            assertThat(api.path("patients")).hasSize(PATIENTS);
            assertThat(api.path("patients").get(last).path("minutes").path("counted").asInt()).isEqualTo(lastMinutes);
        });
    }

    @Test
    void theFirstPageShowsTheFirstFiftyPatientsAndTheNextPagesTheRestWithoutGapsOrDuplicates() {
        ConsoleSession biller = new ConsoleSession(anonymous()).signIn("biller-pg", "billing", PRACTICE);
        String first = biller.page(MONTH);
        List<String> ids = new ArrayList<>(rows(first));
        assertThat(ids).containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(PracticeMonthHistory::patientId)
                                                           .toList());
        assertThat(first).contains("Page 1 of 3").contains(PATIENTS + " patients");
        String page = first;
        int pages = 1;
        for (String next = next(page); next != null; next = next(page)) {
            page = biller.page(next);
            ids.addAll(rows(page));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(ids).containsExactlyElementsOf(
                IntStream.range(0, PATIENTS).mapToObj(PracticeMonthHistory::patientId).toList());
    }

    @Test
    void theTotalsLoadAfterTheRowsAndEqualTheApisPracticeMonthTotals() {
        ConsoleSession biller = new ConsoleSession(anonymous()).signIn("biller-pg", "billing", PRACTICE);
        String month = biller.page(MONTH);
        // the page itself does not wait for the totals: it asks for them once shown, and links to them without script
        assertThat(month).doesNotContain("id=\"total-amount\"").contains("hx-get=\"" + MONTH + "/totals\"")
                         .contains("hx-trigger=\"load\"").contains("id=\"show-totals\" href=\"" + MONTH + "/totals\"");

        String fragment = anonymous().get().uri(MONTH + "/totals").cookie(ConsoleSession.COOKIE, biller.session())
                                     .header("HX-Request", "true").exchange().expectStatus().isOk()
                                     .expectBody(String.class).returnResult().getResponseBody();
        assertThat(fragment).doesNotContain("<html").startsWith("<section");
        String page = biller.page(MONTH + "/totals");
        assertThat(page).contains("<html").contains("id=\"back-to-month\"");
        for (String totals : List.of(fragment, page)) {
            assertThat(totals).contains("id=\"total-amount\">$" + api.path("totalAmount").asText() + "<")
                              .contains("id=\"patient-count\">" + PATIENTS + "<");
            assertThat(api.path("totalsByCode")).isNotEmpty();
            for (JsonNode code : api.path("totalsByCode")) {
                assertThat(totals).containsPattern("<th scope=\"row\">" + code.path("code").asText()
                                                   + "</th>\\s*<td class=\"num\">" + code.path("units").asInt()
                                                   + "</td><td class=\"num\">\\$"
                                                   + Pattern.quote(code.path("amount").asText()) + "</td>");
            }
            for (JsonNode practitioner : api.path("totalsByPractitioner")) {
                assertThat(totals).containsPattern("<th scope=\"row\">"
                                                   + practitioner.path("billingPractitioner").asText()
                                                   + "</th>\\s*<td class=\"num\">"
                                                   + practitioner.path("patients").asInt()
                                                   + "</td><td class=\"num\">\\$"
                                                   + Pattern.quote(practitioner.path("amount").asText()) + "</td>");
            }
        }
        // care staff opens no month, nor its totals
        new ConsoleSession(anonymous()).signIn("nurse-pg", "care-staff", PRACTICE).get(MONTH + "/totals")
                                                                              .expectStatus().isForbidden();
    }

    @Test
    void aFilterPagesThroughThePatientsFromACursorAndFindsWhatTheApiRowsMatch() {
        ConsoleSession biller = new ConsoleSession(anonymous()).signIn("biller-pg", "billing", PRACTICE);
        Map<String, java.util.function.Predicate<JsonNode>> filters = Map.of(
                "blocked", row -> !row.path("blockers").isEmpty(),
                "billable", row -> row.path("status").asText().equals("OPEN") && row.path("blockers").isEmpty()
                                   && !row.path("lines").isEmpty());
        for (var filter : filters.entrySet()) {
            List<String> expected = new ArrayList<>();
            api.path("patients").forEach(row -> {
                if (filter.getValue().test(row)) {
                    expected.add(row.path("patientId").asText());
                }
            });
            assertThat(expected).as("the month has " + filter.getKey() + " patients to find").isNotEmpty();
            String page = biller.page(MONTH + "?show=" + filter.getKey());
            assertThat(page).contains("among patients 1-");
            List<String> found = new ArrayList<>(rows(page));
            assertThat(found).hasSizeLessThanOrEqualTo(50);
            for (String next = next(page); next != null; next = next(page)) {
                assertThat(next).contains("show=" + filter.getKey()).contains("after=");
                page = biller.page(next);
                assertThat(page).contains("id=\"first-page\"");
                found.addAll(rows(page));
            }
            assertThat(page).as("the last page has looked at every patient")
                            .contains("-" + PATIENTS + " of " + PATIENTS + " (by patient id)");
            assertThat(found).as(filter.getKey()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void theCloseConfirmationSumsWhatWillBeIssuedOverEveryPatientAsTheApiRowsDo() {
        ConsoleSession biller = new ConsoleSession(anonymous()).signIn("biller-pg", "billing", PRACTICE);
        List<JsonNode> billable = new ArrayList<>();
        Map<String, Integer> leftByRule = new java.util.TreeMap<>();
        java.math.BigDecimal known = java.math.BigDecimal.ZERO;
        java.util.Set<String> unknown = new java.util.LinkedHashSet<>();
        Map<String, Integer> units = new java.util.TreeMap<>();
        for (JsonNode row : api.path("patients")) {
            if (row.path("blockers").isEmpty() && !row.path("lines").isEmpty()) {
                billable.add(row);
                for (JsonNode l : row.path("lines")) {
                    units.merge(l.path("code").asText(), l.path("units").asInt(), Integer::sum);
                    if (l.path("amount").asText().equals("unknown")) {
                        unknown.add(l.path("code").asText());
                    } else {
                        known = known.add(new java.math.BigDecimal(l.path("amount").asText()));
                    }
                }
            } else {
                java.util.Set<String> rules = new java.util.TreeSet<>();
                row.path("blockers").forEach(b -> rules.add(b.path("rule").asText()));
                rules.forEach(rule -> leftByRule.merge(rule, 1, Integer::sum));
            }
        }
        assertThat(billable).as("the month has billable and blocked patients").isNotEmpty().hasSizeLessThan(PATIENTS);
        String page = biller.page(MONTH + "/close");
        assertThat(page).contains("id=\"issue-count\">" + billable.size() + "<")
                        .contains("id=\"issue-amount\">$" + known.toPlainString()
                                  + (unknown.isEmpty() ? "" : " + unknown (" + String.join(", ", unknown) + ")") + "<")
                        .contains("id=\"left-count\">" + (PATIENTS - billable.size()) + "<")
                        .contains("id=\"already-closed\">0<");
        units.forEach((code, n) -> assertThat(page).containsPattern(
                "<th scope=\"row\">" + code + "</th>\\s*<td class=\"num\">" + n + "</td>"));
        leftByRule.forEach((rule, n) -> assertThat(page).containsPattern(
                "<tr data-rule=\"" + rule + "\"><th scope=\"row\">" + rule + "</th>\\s*<td class=\"num\">" + n
                + "</td>"));
        // the rows listed are the billable patients in patient id order, at most a hundred
        int listed = Math.min(billable.size(), ClosePreview.LISTED);
        String issued = page.substring(page.indexOf("id=\"to-issue\""), page.indexOf("</table>",
                                                                                      page.indexOf("id=\"to-issue\"")));
        assertThat(rows(issued)).containsExactlyElementsOf(
                billable.stream().limit(listed).map(r -> r.path("patientId").asText()).toList());
    }

    private JsonNode apiMonth() throws Exception {
        byte[] body = clientAs("auditor-pg", Set.of(Role.BILLING)).get()
                .uri("/api/v1/practices/" + PRACTICE + "/billing/" + PracticeMonthHistory.MONTH)
                .accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isOk().expectBody().returnResult()
                .getResponseBody();
        return new ObjectMapper().readTree(new String(body, StandardCharsets.UTF_8));
    }

    private static List<String> rows(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static String next(String html) {
        Matcher m = NEXT.matcher(html);
        return m.find() ? m.group(1).replace("&amp;", "&") : null;
    }
}
