package org.ccmledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.awaitility.Awaitility;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.MediaType;

/**
 * The console's journeys in a real browser (Debian's headless chromium): sign in, log time as care staff and see the
 * day's bar move, correct it, close a month as billing, open the audit packet and travel in time as compliance, verify
 * the ledger and check a digest with openssl as the platform auditor, and be refused another practice's page. Every
 * page visited is checked with axe-core (no serious or critical
 * violation) and photographed to {@code target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest extends HttpTestBase {

    private Browser browser;

    @BeforeAll
    void startBrowser() {
        browser = new Browser(port);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.resize(1280, 1400);
        browser.open("/console/sign-in");
        browser.signOut();
    }

    @Test
    void careStaffLogTimeSeeTheBarMoveAndCorrectIt() {
        enrollWithConsent("web-p1", "pat-a");
        browser.open("/console/sign-in");
        assertThat(browser.find("#dev-warning").getText()).contains("Development sign-in");
        accessible("01-sign-in");
        browser.signIn("nurse-1", "care-staff", "web-p1");
        accessible("02-start");
        browser.type("#patient-web-p1", "pat-a");
        browser.clickAndWait("#main .open-patient");
        assertThat(browser.find("#minutes-chart").getAttribute("data-total")).isEqualTo("0");
        // the form's defaults: now, the caller's staff role, care coordination; focus order follows the fields
        assertThat(browser.find("#endedAt").getAttribute("value")).isNotBlank();
        assertThat(browser.find("#role").getAttribute("value")).isEqualTo("CLINICAL_STAFF");
        browser.type("#minutes", "25");
        browser.clickAndWait("#log-submit");
        browser.screenshot("03-patient-after-logging");
        browser.await(d -> "25".equals(browser.find("#logged-total").getText()));
        assertThat(browser.find("#minutes-chart").getAttribute("data-total")).isEqualTo("25");
        assertThat(browser.all("#minutes-chart rect.bar").stream()
                          .anyMatch(bar -> "25".equals(bar.getAttribute("data-minutes"))
                                           && Integer.parseInt(bar.getAttribute("height")) > 0)).isTrue();
        accessible("03-patient-after-logging");

        // a correction keeps the original, struck through, with its reason
        String entry = browser.find("#entries tbody tr[data-entry]").getAttribute("data-entry");
        browser.type("#correct-minutes-" + entry, "20");
        browser.type("#correct-reason-" + entry, "Call ended earlier");
        browser.clickAndWait("#entries tr[data-entry='" + entry + "'] button.correct");
        browser.await(d -> "20".equals(browser.find("#logged-total").getText()));
        assertThat(browser.find("#entries tr[data-entry='" + entry + "'] del").getText()).isNotBlank();
        assertThat(browser.find("#entries tr[data-entry='" + entry + "'] q.reason").getText())
                .isEqualTo("Call ended earlier");
        accessible("04-patient-corrected");

        // a refusal in words next to the field, with its rule: time before the consent (R8)
        browser.set("#endedAt", "2025-12-15T10:00");
        browser.type("#minutes", "10");
        browser.clickAndWait("#log-submit");
        assertThat(browser.find("#log-error").getText()).contains("R8");
        accessible("05-patient-refusal");
    }

    @Test
    void careStaffLogTimeWithTheKeyboardAloneWithFocusAlwaysVisible() {
        enrollWithConsent("web-pk", "pat-k");
        browser.signIn("nurse-k", "care-staff", "web-pk");
        // the first Tab reaches the skip link, shown with its focus outline; Enter moves to the content
        browser.driver().executeScript("document.activeElement.blur(); window.scrollTo(0, 0);");
        String skip = tab();
        assertThat(skip).isEqualTo("a.skip");
        assertThat(focusOutline()).as("focus outline of the skip link").doesNotStartWith("none");
        assertThat(((Number) browser.driver().executeScript(
                "return document.activeElement.getBoundingClientRect().left")).doubleValue())
                .as("the focused skip link is on screen").isGreaterThanOrEqualTo(0);
        // Tab on to the patient-id field of the start page, type and press Enter
        tabUntil("#patient-web-pk");
        keys("pat-k", org.openqa.selenium.Keys.ENTER);
        browser.await(d -> !browser.all("#log-time").isEmpty());
        // on the patient's page: Tab reaches the form's fields in their visual order, each with a visible outline
        List<String> fields = List.of("#endedAt", "#minutes", "#role", "#activity", "#note", "#log-submit");
        List<String> order = new java.util.ArrayList<>(List.of(tabUntil("#endedAt")));
        assertThat(focusOutline()).as("focus outline of #endedAt").doesNotStartWith("none");
        for (int i = 0; i < 30 && !order.get(order.size() - 1).equals("#log-submit"); i++) {
            String focused = tab();
            assertThat(focusOutline()).as("focus outline of " + focused).doesNotStartWith("none");
            if (!focused.equals(order.get(order.size() - 1))) {
                order.add(focused); // a date-time field takes a Tab for each of its parts
            }
        }
        assertThat(order).as("every stop of the Tab key from the first field to the button").containsExactlyElementsOf(fields);
        // the defaults stand (now, staff role, the last activity): minutes and Enter log the time
        browser.driver().findElement(org.openqa.selenium.By.cssSelector("#minutes")).click();
        keys("15", org.openqa.selenium.Keys.ENTER);
        browser.await(d -> "15".equals(browser.find("#logged-total").getText()));
        accessible("05b-patient-logged-by-keyboard");
    }

    /** Presses Tab and names what has the focus: its id as a selector, else its tag and class. */
    private String tab() {
        keys(org.openqa.selenium.Keys.TAB);
        return (String) browser.driver().executeScript(
                "const e = document.activeElement; return e.id ? '#' + e.id"
                + " : e.tagName.toLowerCase() + (e.className ? '.' + e.className.split(' ')[0] : '');");
    }

    /** Presses Tab until {@code selector} has the focus (at most 80 times), which it returns. */
    private String tabUntil(String selector) {
        for (int i = 0; i < 80; i++) {
            if (selector.equals(tab())) {
                return selector;
            }
        }
        throw new AssertionError(selector + " was not reached with the Tab key");
    }

    private void keys(CharSequence... keys) {
        new org.openqa.selenium.interactions.Actions(browser.driver()).sendKeys(keys).perform();
    }

    /** The outline style of the focused element as the browser draws it. */
    private String focusOutline() {
        return (String) browser.driver().executeScript(
                "const e = document.activeElement; return getComputedStyle(e).outlineStyle + ' focus='"
                + " + e.matches(':focus') + ' visible=' + e.matches(':focus-visible') + ' doc=' + document.hasFocus();");
    }

    @Test
    void billingClosesTheMonthAfterSeeingWhatWillBeIssued() {
        YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        billablePatient("web-p2", "pat-b", month);
        // too few minutes to bill: blocked by a rule
        enrollWithConsent("web-p2", "pat-nothing");
        post("/api/v1/practices/web-p2/patients/pat-nothing/care-minutes",
             PatientMother.careMinutes("pat-nothing-e1", "CLINICAL_STAFF", month.atDay(11) + "T14:00:00Z", 5))
                .expectStatus().isCreated();
        browser.signIn("biller-1", "billing", "web-p2");
        browser.clickAndWait("#month-" + month);
        browser.await(d -> browser.all("#patient-table tr[data-patient='pat-b']").size() == 1);
        assertThat(browser.find("#patient-table tr[data-patient='pat-b'] .status").getText()).isEqualTo("OPEN");
        accessible("06-practice-month");
        assertThat(browser.driver().executeScript("return typeof htmx")).as("htmx, from its WebJar")
                                                                     .isEqualTo("object");
        // the filter narrows the table (htmx swaps it in place; the plain form does the same without script)
        browser.select("#show", "blocked");
        browser.find("#filter").click();
        browser.await(d -> browser.all("#patient-table tr[data-patient='pat-b']").isEmpty()
                           && browser.all("#patient-table tr[data-patient='pat-nothing']").size() == 1);
        browser.resize(820, 1180);
        browser.open("/console/practices/web-p2/months/" + month);
        assertThat(browser.overflowsSideways()).as("the month fits a tablet's width").isFalse();
        browser.screenshot("07-practice-month-tablet");
        browser.resize(1280, 1400);

        browser.open("/console/practices/web-p2/months/" + month);
        browser.clickAndWait("#close-month");
        assertThat(browser.find("#issue-count").getText()).isEqualTo("1");
        assertThat(browser.find("#to-issue").getText()).contains("pat-b");
        accessible("08-close-confirmation");
        browser.clickAndWait("#confirm-close");
        assertThat(browser.find("#outcomes tr[data-patient='pat-b'] .outcome").getText()).isEqualTo("ISSUED");
        accessible("09-month-closed");
        browser.clickAndWait("#back-to-month");
        assertThat(browser.find("#patient-table tr[data-patient='pat-b'] .status").getText()).isEqualTo("CLOSED");

        // the downloads are the console's own, with the session: the month as CSV
        client().get().uri("/api/v1/practices/web-p2/billing/" + month).accept(MediaType.APPLICATION_JSON)
                .exchange().expectStatus().isOk();
        anonymous().get().uri("/console/practices/web-p2/months/" + month + "/practice-month.csv")
                   .cookie(ConsoleSession.COOKIE, browser.cookie()).exchange().expectStatus().isOk()
                   .expectBody(String.class).value(csv -> assertThat(csv).contains("pat-b"));
    }

    @Test
    void complianceOpensThePacketAndSeesThePatientAsTheLedgerKnewThem() {
        YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        String patient = "/api/v1/practices/web-p3/patients/pat-c";
        billablePatientWithoutTime("web-p3", "pat-c", month);
        String revised = PatientMother.carePlan("2026-02-02T15:00:00Z", "2026-02-02T16:00:00Z")
                                      .replace("HbA1c below 8%", "HbA1c below 7%");
        post(patient + "/care-plan/revisions", revised).expectStatus().isCreated();
        // an instant after the set-up and before the time is logged, to the second (the control's precision)
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                  .until(() -> Instant.now().isAfter(before.plusMillis(5)));
        post(patient + "/care-minutes", PatientMother.careMinutes("pat-c-e1", "CLINICAL_STAFF",
                                                                  month.atDay(10) + "T14:00:00Z", 30))
                .expectStatus().isCreated();
        awaitFamily("web-p3", "pat-c", month);
        client().post().uri("/api/v1/practices/web-p3/billing/" + month + "/close").exchange()
                .expectStatus().isOk();

        browser.signIn("officer-1", "compliance-officer", "web-p3");
        browser.open("/console/practices/web-p3/patients/pat-c?month=" + month);
        browser.await(d -> "CLOSED".equals(browser.find("#billing-status").getText()));
        assertThat(browser.find("#logged-total").getText()).isEqualTo("30");
        // the care plan's versions, each change side by side with the version before
        assertThat(browser.find("#care-plan [data-version='2'] .plan-diff").getText())
                .contains("Measurable goals").contains("HbA1c below 8%").contains("HbA1c below 7%");
        accessible("10-patient-compliance");

        browser.set("#asOf", LocalDateTime.ofInstant(before, ZoneOffset.UTC).toString());
        browser.clickAndWait("#travel");
        assertThat(browser.find("#as-known").getText()).contains(before.toString().substring(0, 10));
        assertThat(browser.find("#logged-total").getText()).isEqualTo("0");
        assertThat(browser.find("#billing-status").getText()).isEqualTo("OPEN");
        accessible("11-patient-time-travel");

        String packet = browser.find("#packet-link").getAttribute("href");
        assertThat(packet).endsWith("/console/practices/web-p3/patients/pat-c/audit-packet/" + month);
        byte[] pdf = anonymous().get().uri(packet.substring(packet.indexOf("/console")))
                                .cookie(ConsoleSession.COOKIE, browser.cookie()).exchange()
                                .expectStatus().isOk().expectHeader().contentType(MediaType.APPLICATION_PDF)
                                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    }

    @Test
    void thePlatformAuditorVerifiesTheLedgerAndChecksADigestWithOpenssl() throws Exception {
        enrollWithConsent("web-p6", "pat-f");
        String digest = clientAs("platform-admin-1",
                                 java.util.Set.of(org.ccmledger.platform.security.Role.PLATFORM_ADMIN))
                .post().uri("/api/v1/ledger/digests").exchange().expectStatus().isCreated()
                .returnResult(Void.class).getResponseHeaders().getLocation().toString();
        String sequence = digest.substring(digest.lastIndexOf('/') + 1);
        browser.signIn("auditor-1", "platform-auditor", "");
        browser.clickAndWait("#ledger-link");
        assertThat(browser.find("#digests tr[data-sequence='" + sequence + "']").getText()).isNotBlank();
        accessible("13-ledger");
        browser.find("#verify").click();
        browser.await(d -> browser.find("#verify-status").getAttribute("data-result") != null);
        assertThat(browser.find("#verify-status").getAttribute("data-result")).isEqualTo("intact");
        accessible("14-ledger-verified");

        // the page's recipe, run: the signed text, the signature and the key as the page links them, and openssl
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("console-digest");
        for (String file : java.util.List.of("digest-text-" + sequence, "digest-sig-" + sequence, "public-key")) {
            String href = browser.find("#" + file).getAttribute("href");
            byte[] body = anonymous().get().uri(href.substring(href.indexOf("/console")))
                                     .cookie(ConsoleSession.COOKIE, browser.cookie()).exchange()
                                     .expectStatus().isOk().expectBody(byte[].class).returnResult()
                                     .getResponseBody();
            java.nio.file.Files.write(dir.resolve(file), body);
        }
        Process openssl = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "public-key",
                                             "-rawin", "-in", "digest-text-" + sequence, "-sigfile",
                                             "digest-sig-" + sequence)
                .directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(openssl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(new String(openssl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("Signature Verified Successfully");
        assertThat(openssl.exitValue()).isZero();
    }

    @Test
    void anAuditorOpensTheEventLogFiltersItAndPages() {
        String since = java.time.Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                                        .toString();
        for (String patient : java.util.List.of("pat-g", "pat-h", "pat-i")) {
            enrollWithConsent("web-p7", patient);
        }
        browser.signIn("auditor-7", "auditor", "web-p7");
        accessible("15-auditor-start");
        browser.clickAndWait("#events-web-p7");
        browser.set("#f-recordedFrom", since);
        browser.select("#f-limit", "5");
        // the index is written behind the ledger: show again until the six events are there
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            browser.clickAndWait("#apply-filters");
            assertThat(browser.all("#events tbody tr")).hasSize(5);
            assertThat(browser.driver().findElements(org.openqa.selenium.By.id("next-page"))).isNotEmpty();
        });
        accessible("16-event-log");
        String firstOfPageOne = browser.find("#events tbody tr").getAttribute("data-index");
        browser.clickAndWait("#next-page");
        assertThat(browser.find("#events-caption").getText()).startsWith("Events after global index");
        assertThat(browser.find("#events tbody tr").getAttribute("data-index")).isNotEqualTo(firstOfPageOne);
        assertThat(browser.find("#f-recordedFrom").getAttribute("value")).isEqualTo(since);
        assertThat(browser.find("#export-ndjson").getAttribute("href")).contains("recordedFrom=");
        browser.open("/console/practices/web-p7/access-log?actor=auditor-7");
        accessible("17-access-log");
        browser.open("/console/practices/web-p7/patients/pat-g/verification");
        assertThat(browser.find("#verification-status").getAttribute("data-result")).isEqualTo("intact");
        accessible("18-patient-verification");
    }

    @Test
    void aPageOfAnotherPracticeIsRefused() {
        enrollWithConsent("web-p5", "pat-e");
        browser.signIn("nurse-2", "care-staff", "web-p4");
        browser.open("/console/practices/web-p5/patients/pat-e");
        assertThat(browser.find("#refused").getText()).contains("not for this practice");
        assertThat(browser.driver().getPageSource()).doesNotContain("Type 2 diabetes");
        accessible("12-refused");
    }

    /**
     * The browser itself refuses an id the ledger would refuse, before the form is sent: it reads the field's pattern
     * (with the v flag, under which an unescaped '-' in a class makes the whole pattern invalid and ignored).
     */
    @Test
    void thePatientFieldRefusesWhatTheLedgerRefusesBeforeItIsSent() {
        browser.signIn("nurse-6", "care-staff", "web-p6");
        org.openqa.selenium.WebElement field = browser.find("#patient-web-p6");
        for (String id : List.of("pat-a.1_B", "x".repeat(64))) {
            assertThat(patternMismatch(field, id)).as(id).isFalse();
        }
        for (String id : List.of("pat/a", "pat a", "p\u00e4t", "nurse@clinic", "x".repeat(65))) {
            assertThat(patternMismatch(field, id)).as(id).isTrue();
        }
    }

    private boolean patternMismatch(org.openqa.selenium.WebElement field, String value) {
        return (Boolean) browser.driver().executeScript(
                "arguments[0].value = arguments[1]; return arguments[0].validity.patternMismatch;", field, value);
    }

    /** Checks the page with axe-core and photographs it. */
    private void accessible(String name) {
        browser.screenshot(name);
        assertThat(browser.seriousAccessibilityViolations()).as("serious or critical axe-core violations on " + name)
                                                            .isEmpty();
    }

    /** Enrolled with consent, a care plan and an initiating visit: billable once time is logged in the month. */
    private void billablePatientWithoutTime(String practiceId, String patientId, YearMonth month) {
        String patient = "/api/v1/practices/" + practiceId + "/patients/" + patientId;
        enrollWithConsent(practiceId, patientId);
        String plan = PatientMother.carePlan("2026-01-02T15:00:00Z", "2026-01-02T16:00:00Z");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> post(patient + "/care-plan/revisions", plan).expectStatus().isCreated());
        post(patient + "/initiating-visits", "{\"visitDate\":\"" + month.atDay(2) + "\",\"visitType\":\"EM\","
                + "\"emLevel\":4,\"practitionerNpi\":\"" + PatientMother.NPI + "\","
                + "\"comprehensiveCarePlanning\":false}").expectStatus().isCreated();
    }

    private void billablePatient(String practiceId, String patientId, YearMonth month) {
        billablePatientWithoutTime(practiceId, patientId, month);
        post("/api/v1/practices/" + practiceId + "/patients/" + patientId + "/care-minutes",
             PatientMother.careMinutes(patientId + "-e1", "CLINICAL_STAFF", month.atDay(10) + "T14:00:00Z", 30))
                .expectStatus().isCreated();
        awaitFamily(practiceId, patientId, month);
    }

    private void awaitFamily(String practiceId, String patientId, YearMonth month) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> client().get().uri("/api/v1/practices/" + practiceId + "/patients/" + patientId + "/billing/"
                                         + month)
                              .exchange().expectStatus().isOk().expectBody().jsonPath("$.family")
                              .isEqualTo("NON_COMPLEX"));
    }
}
