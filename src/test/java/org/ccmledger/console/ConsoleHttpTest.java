package org.ccmledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.ccmledger.platform.ids.IdFormat;
import org.ccmledger.platform.security.AccessPolicy;
import org.ccmledger.platform.security.ConsolePolicy;
import org.ccmledger.platform.security.Role;
import org.ccmledger.support.HttpTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionManager;

/**
 * The console's security over plain HTTP: sign-in, the session cookie, CSRF, the strict CSP, roles and practices per
 * page, and the access log of its pages.
 */
class ConsoleHttpTest extends HttpTestBase {

    @Autowired
    private WebSessionManager sessionManager;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Test
    void aPageWithoutSignInGoesToTheSignInAndTheSignInIsMarkedAsDevelopment() {
        anonymous().get().uri("/console").exchange().expectStatus().is3xxRedirection()
                   .expectHeader().location("/console/sign-in");
        anonymous().get().uri("/console/practices/p1/patients/x").exchange().expectStatus().is3xxRedirection();
        anonymous().get().uri("/console/sign-in").exchange().expectStatus().isOk()
                   .expectHeader().valueEquals("Content-Security-Policy",
                           "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                   .expectHeader().valueEquals("Cache-Control", "no-store")
                   .expectBody(String.class).value(html -> assertThat(html).contains("Development sign-in")
                                                                          .doesNotContain("<script>")
                                                                          .doesNotContain("style="));
    }

    @Test
    void theSessionCookieIsHttpOnlySameSiteLaxAndScopedToTheConsole() {
        ResponseCookie cookie = anonymous().get().uri("/console/sign-in").exchange()
                                           .returnResult(Void.class).getResponseCookies()
                                           .getFirst(ConsoleSession.COOKIE);
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Lax");
        assertThat(cookie.getPath()).isEqualTo("/console");
        // over plain HTTP (tests); behind TLS the cookie is Secure (CookieWebSessionIdResolver, the request's scheme)
        assertThat(cookie.isSecure()).isFalse();
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefused() {
        var page = anonymous().get().uri("/console/sign-in").exchange().returnResult(Void.class);
        String session = page.getResponseCookies().getFirst(ConsoleSession.COOKIE).getValue();
        anonymous().post().uri("/console/sign-in").cookie(ConsoleSession.COOKIE, session)
                   .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                   .body(BodyInserters.fromFormData("user", "nurse-1").with("role", "care-staff")
                                      .with("practice", "p1"))
                   .exchange().expectStatus().isForbidden();
        ConsoleSession signedIn = new ConsoleSession(anonymous()).signIn("nurse-1", "care-staff", "cons-p1");
        anonymous().post().uri("/console/sign-out").cookie(ConsoleSession.COOKIE, signedIn.session())
                   .exchange().expectStatus().isForbidden();
    }

    @Test
    void signingOutEndsTheSession() {
        ConsoleSession console = new ConsoleSession(anonymous()).signIn("nurse-1", "care-staff", "cons-p2");
        console.get("/console").expectStatus().isOk();
        console.post("/console", "/console/sign-out").expectStatus().is3xxRedirection();
        console.get("/console").expectStatus().is3xxRedirection().expectHeader().location("/console/sign-in");
    }

    /**
     * HIPAA 164.312(a)(2)(iii), automatic logoff: a session ends after 15 minutes without a request (the default of
     * {@code CCM_CONSOLE_IDLE_TIMEOUT}). The session store's clock is moved on instead of waiting.
     */
    @Test
    void aSessionEndsAfterFifteenIdleMinutes() {
        InMemoryWebSessionStore store = (InMemoryWebSessionStore) ((DefaultWebSessionManager) sessionManager)
                .getSessionStore();
        Clock real = store.getClock();
        try {
            ConsoleSession console = new ConsoleSession(anonymous()).signIn("nurse-1", "care-staff", "cons-idle");
            console.get("/console").expectStatus().isOk();
            store.setClock(Clock.offset(real, Duration.ofMinutes(14)));
            console.get("/console").expectStatus().isOk();
            // each request starts the idle time again: 14 + 14 minutes after signing in, still signed in
            store.setClock(Clock.offset(real, Duration.ofMinutes(28)));
            console.get("/console").expectStatus().isOk();
            store.setClock(Clock.offset(real, Duration.ofMinutes(28 + 16)));
            console.get("/console").expectStatus().is3xxRedirection()
                   .expectHeader().location("/console/sign-in");
        } finally {
            store.setClock(real);
        }
    }

    @Test
    void aPageOfAnotherPracticeOrBeyondTheRoleIsRefused() {
        enrollWithConsent("cons-p3", "pat-1");
        enrollWithConsent("cons-p4", "pat-1");
        ConsoleSession nurse = new ConsoleSession(anonymous()).signIn("nurse-1", "care-staff", "cons-p3");
        nurse.get("/console/practices/cons-p3/patients/pat-1").expectStatus().isOk();
        nurse.get("/console/practices/cons-p4/patients/pat-1").expectStatus().isForbidden()
             .expectBody(String.class).value(html -> assertThat(html).contains("Not allowed")
                                                                    .doesNotContain("pat-1"));
        assertThat(nurse.page("/console/practices/cons-p3/patients/pat-1")).contains("id=\"minutes-chart\"")
                                                                          .doesNotContain("id=\"billing\"");
        // billing sees the month's billing but not the care plan, as the API's roles
        ConsoleSession biller = new ConsoleSession(anonymous()).signIn("biller-3", "billing", "cons-p3");
        assertThat(biller.page("/console/practices/cons-p3/patients/pat-1")).contains("id=\"billing\"")
                                                                           .doesNotContain("id=\"care-plan\"");
        // the practice's month is billing's and compliance's
        nurse.get("/console/practices/cons-p3/months/2026-09").expectStatus().isForbidden();
        // a path the console does not list is refused, signed in or not
        nurse.get("/console/practices/cons-p3/anything").expectStatus().isForbidden();
    }

    @Test
    void everyPageReadOfPatientDataIsInTheAccessLog() {
        enrollWithConsent("cons-p5", "pat-9");
        ConsoleSession officer = new ConsoleSession(anonymous()).signIn("officer-5", "compliance-officer",
                                                                        "cons-p5");
        officer.page("/console/practices/cons-p5/patients/pat-9?month=2026-09");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> clientAs("auditor-1", Set.of(Role.AUDITOR)).get()
                        .uri("/api/v1/practices/cons-p5/audit/access-log?patient=pat-9&actor=officer-5")
                        .exchange().expectStatus().isOk().expectBody()
                        .jsonPath("$.events[?(@.payload.resource == 'console-patient')]").exists());
    }

    @Test
    void aCareStaffRefusalIsShownInWordsWithItsRule() {
        // no consent: R8 refuses care time
        post("/api/v1/practices/cons-p6/patients", org.ccmledger.support.PatientMother.enrollment("pat-2"))
                .expectStatus().isCreated();
        ConsoleSession nurse = new ConsoleSession(anonymous()).signIn("nurse-1", "care-staff", "cons-p6");
        String page = "/console/practices/cons-p6/patients/pat-2?month=2026-09";
        String html = nurse.post(page, "/console/practices/cons-p6/patients/pat-2/care-minutes",
                                 "endedAt", "2026-09-10T10:25", "minutes", "25", "role", "CLINICAL_STAFF",
                                 "activity", "CARE_COORDINATION", "zone", "America/New_York", "month", "2026-09",
                                 "formId", "00000000-0000-0000-0000-000000000001")
                           .expectStatus().isEqualTo(422).expectBody(String.class).returnResult()
                           .getResponseBody();
        assertThat(html).contains("id=\"log-error\"").contains("Rule R8");
    }

    @Test
    void careStaffSeeTheirOwnEntriesAndOthersOnlyInTheTotalsAsTheApiGivesThem() {
        String practice = "cons-ow" + System.nanoTime() % 100_000;
        String path = "/api/v1/practices/" + practice + "/patients/pat-1";
        enrollWithConsent(practice, "pat-1");
        // nurse-1 (PatientMother's performer) logs 12 minutes, nurse-7 logs 9 of her own
        post(path + "/care-minutes", org.ccmledger.support.PatientMother.careMinutes(
                "theirs-1", "CLINICAL_STAFF", "2026-09-10T14:00:00Z", 12)).expectStatus().isCreated();
        clientAs("nurse-7", Set.of(Role.CARE_STAFF)).post().uri(path + "/care-minutes")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(org.ccmledger.support.PatientMother.careMinutes("mine-1", "CLINICAL_STAFF",
                                                                            "2026-09-11T14:00:00Z", 9)
                                                              .replace("nurse-1", "nurse-7"))
                .exchange().expectStatus().isCreated();
        String page = "/console/practices/" + practice + "/patients/pat-1?month=2026-09";
        String nurse = new ConsoleSession(anonymous()).signIn("nurse-7", "care-staff", practice).page(page);
        assertThat(nurse).contains("data-entry=\"mine-1\"").doesNotContain("data-entry=\"theirs-1\"")
                         .contains("id=\"other-entries\">1 entry by others (12 minutes) count in the totals");
        String officer = new ConsoleSession(anonymous()).signIn("officer-ow", "compliance-officer", practice)
                                                        .page(page);
        assertThat(officer).contains("data-entry=\"mine-1\"").contains("data-entry=\"theirs-1\"")
                           .doesNotContain("id=\"other-entries\"");
    }

    @Test
    void breakingTheGlassInTheConsole() {
        enrollWithConsent("cons-p7", "pat-7");
        String page = "/console/practices/cons-p7/patients/pat-7";
        ConsoleSession admin = new ConsoleSession(anonymous()).signIn("admin-7", "admin", "cons-p7");
        // refused, with the emergency form; nothing of it before the practice allows the role
        String refused = admin.get(page).expectStatus().isForbidden().expectBody(String.class).returnResult()
                              .getResponseBody();
        assertThat(refused).contains("id=\"break-glass\"").contains("name=\"_csrf\"");
        String token = ConsoleSession.csrf(refused);
        postForm(admin, page + "/break-glass", token, "Patient collapsed at the front desk, allergies needed")
                .expectStatus().isForbidden().expectBody(String.class)
                .value(html -> assertThat(html).contains("does not allow your role"));
        client().put().uri("/api/v1/practices/cons-p7/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"placeOfService\":\"11\",\"breakGlassRoles\":[\"admin\"]}").exchange()
                .expectStatus().isOk();
        postForm(admin, page + "/break-glass", token, "short").expectStatus().isBadRequest();
        postForm(admin, page + "/break-glass", token, "Patient collapsed at the front desk, allergies needed")
                .expectStatus().isEqualTo(303).expectHeader().location(page);

        assertThat(admin.page(page)).contains("id=\"emergency-access\"")
                                    .contains("Patient collapsed at the front desk, allergies needed");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> clientAs("officer-7", Set.of(Role.COMPLIANCE_OFFICER)).get()
                        .uri("/api/v1/practices/cons-p7/audit/break-glass").exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.reads[0].resource").isEqualTo("console-patient")
                        .jsonPath("$.reads[0].actor").isEqualTo("admin-7"));
        // the grant is for this one patient: another patient of the practice stays closed
        enrollWithConsent("cons-p7", "pat-8");
        admin.get("/console/practices/cons-p7/patients/pat-8").expectStatus().isForbidden();

        // the compliance officer reviews it on the console's list; the admin cannot
        String list = "/console/practices/cons-p7/break-glass";
        admin.get(list).expectStatus().isForbidden();
        ConsoleSession officer = new ConsoleSession(anonymous()).signIn("officer-7", "compliance-officer", "cons-p7");
        String html = officer.page(list);
        assertThat(html).contains("Patient collapsed at the front desk, allergies needed").contains("admin-7");
        java.util.regex.Matcher form = java.util.regex.Pattern.compile("action=\"(" + list + "/[0-9]+/review)\"")
                                                              .matcher(html);
        assertThat(form.find()).as("a review form").isTrue();
        officer.post(list, form.group(1), "decision", "APPROPRIATE", "note", "Confirmed by the attending")
               .expectStatus().is3xxRedirection();
        assertThat(officer.page(list)).contains("No emergency read waits for review.");
        assertThat(officer.page(list + "?show=all")).contains("APPROPRIATE by officer-7: Confirmed by the attending");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec postForm(
            ConsoleSession session, String path, String csrf, String reason) {
        return anonymous().post().uri(path).cookie(ConsoleSession.COOKIE, session.session())
                          .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                          .body(BodyInserters.fromFormData("_csrf", csrf).with("reason", reason)).exchange();
    }

    @Test
    void billingDownloadsTheMonthAsNdjsonAndItsClaimsAsFhirAndX12() throws Exception {
        patientWithClosedSeptember("cons-p8", "pat-8");
        client().put().uri("/api/v1/practices/cons-p8/profile").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(org.ccmledger.support.PatientMother.PRACTICE_PROFILE).exchange().expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> client().put().uri("/api/v1/practices/cons-p8/patients/pat-8/identity")
                              .contentType(MediaType.APPLICATION_JSON)
                              .bodyValue(org.ccmledger.support.PatientMother.IDENTITY).exchange()
                              .expectStatus().isOk());
        ConsoleSession biller = new ConsoleSession(anonymous()).signIn("biller-8", "billing", "cons-p8");
        String month = "/console/practices/cons-p8/months/2026-09";
        assertThat(biller.page(month)).contains("id=\"download-ndjson\"").contains("id=\"download-fhir\"")
                                      .contains("id=\"export-x12\"");

        String ndjson = biller.get(month + "/practice-month.ndjson").expectStatus().isOk()
                              .expectHeader().contentTypeCompatibleWith("application/x-ndjson")
                              .expectBody(String.class).returnResult().getResponseBody();
        // read back by Python's json module, line by line
        assertThat(pythonNdjson(ndjson, "print(len(rows), rows[0]['patientId'], rows[0]['status'])"))
                .isEqualTo("1 pat-8 CLOSED");

        String fhir = biller.get(month + "/claims.fhir.json").expectStatus().isOk()
                            .expectHeader().contentTypeCompatibleWith("application/fhir+json")
                            .expectBody(String.class).returnResult().getResponseBody();
        org.ccmledger.support.FhirValidation.assertValidBundle(fhir);
        assertThat(org.ccmledger.support.FhirValidation.parseBundle(fhir).getEntry()).isNotEmpty();

        String x12 = biller.post(month, month + "/claims.x12").expectStatus().isOk()
                           .expectHeader().contentTypeCompatibleWith("application/edi-x12")
                           .expectBody(String.class).returnResult().getResponseBody();
        org.ccmledger.support.X12Reading.Read read = org.ccmledger.support.X12Reading.read(x12);
        assertThat(read.problems()).isEmpty();
        assertThat(read.all("CLM")).hasSize(1);
        // recorded in the export ledger, as the API's export is
        clientAs("auditor-8", Set.of(Role.AUDITOR)).get().uri("/api/v1/practices/cons-p8/claims/batches").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.batches.length()").isEqualTo(1);
        // care staff downloads none of it
        ConsoleSession nurse = new ConsoleSession(anonymous()).signIn("nurse-8", "care-staff", "cons-p8");
        nurse.get(month + "/practice-month.ndjson").expectStatus().isForbidden();
        nurse.get(month + "/claims.fhir.json").expectStatus().isForbidden();
    }

    @Test
    void theNearFilterShowsOpenMonthsWithinFiveMinutesOfTheirNextCode() {
        java.time.Instant now = java.time.Instant.now();
        java.time.YearMonth month = java.time.YearMonth.from(now.atZone(java.time.ZoneOffset.UTC));
        // minutes of this month must have ended by now: not in the month's first hour (UTC)
        org.junit.jupiter.api.Assumptions.assumeTrue(now.isAfter(month.atDay(1).atStartOfDay()
                .toInstant(java.time.ZoneOffset.UTC).plus(Duration.ofHours(1))));
        String start = now.minus(Duration.ofMinutes(40)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
        for (String[] patient : new String[][] {{"near-1", "16"}, {"far-1", "5"}}) {
            String path = "/api/v1/practices/cons-p9/patients/" + patient[0];
            enrollWithConsent("cons-p9", patient[0]);
            String plan = org.ccmledger.support.PatientMother.carePlan("2026-01-02T15:00:00Z", "2026-01-02T16:00:00Z");
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                    () -> post(path + "/care-plan/revisions", plan).expectStatus().isCreated());
            post(path + "/initiating-visits", "{\"visitDate\":\"2026-09-02\",\"visitType\":\"EM\",\"emLevel\":4,"
                    + "\"practitionerNpi\":\"" + org.ccmledger.support.PatientMother.NPI
                    + "\",\"comprehensiveCarePlanning\":false}").expectStatus().isCreated();
            post(path + "/care-minutes", org.ccmledger.support.PatientMother.careMinutes(
                    patient[0] + "-e1", "CLINICAL_STAFF", start, Integer.parseInt(patient[1])))
                    .expectStatus().isCreated();
        }
        ConsoleSession biller = new ConsoleSession(anonymous()).signIn("biller-9", "billing", "cons-p9");
        String page = "/console/practices/cons-p9/months/" + month;
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String near = biller.page(page + "?show=near");
            assertThat(near).contains("data-patient=\"near-1\"").doesNotContain("data-patient=\"far-1\"")
                            .contains("99490 in 4 min");
        });
        assertThat(biller.page(page)).contains("data-patient=\"far-1\"").contains("99490 in 15 min");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R3, P2: each row shows its patient's own OIG risks; the risks across patients load after the rows")
    void theMonthShowsEachPatientsOwnRisksAndTheRisksAcrossPatients() {
        String practice = "cons-rk" + System.nanoTime() % 100_000;
        // September's care logged now, in December: late entries (R3); pt-2's call starts ten minutes into pt-1's,
        // by the same nurse (P2, across patients); pt-3's one entry is voided, so it stands for nothing
        patientWithClosedSeptember(practice, "pt-1");
        for (String patient : List.of("pt-2", "pt-3")) {
            String path = "/api/v1/practices/" + practice + "/patients/" + patient;
            enrollWithConsent(practice, patient);
            post(path + "/care-minutes", org.ccmledger.support.PatientMother.careMinutes(
                    patient + "-e1", "CLINICAL_STAFF", "2026-09-10T14:10:00Z", 25)).expectStatus().isCreated();
        }
        post("/api/v1/practices/" + practice + "/patients/pt-3/care-minutes/pt-3-e1/void",
             "{\"reason\":\"logged for the wrong patient\"}").expectStatus().is2xxSuccessful();
        ConsoleSession officer = new ConsoleSession(anonymous()).signIn("officer-rk", "compliance-officer", practice);
        String month = "/console/practices/" + practice + "/months/2026-09";
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String page = officer.page(month);
            assertThat(rowOf(page, "pt-3")).containsPattern("<span>none</span></td>\\s*</tr>$")
                                           .doesNotContain("late entry");
            for (String patient : List.of("pt-1", "pt-2")) {
                assertThat(rowOf(page, patient)).contains("<strong>R3</strong>").contains("late entry")
                                                .doesNotContain("overlapping clinician time");
            }
        });
        // the packet, the patient's own record of risks, says the same
        clientAs("officer-rk", Set.of(Role.COMPLIANCE_OFFICER)).get()
                .uri("/api/v1/practices/" + practice + "/patients/pt-1/audit-packet/2026-09")
                .accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.risks[?(@.risk == 'LATE_ENTRY')].rule").isEqualTo(List.of("R3"));

        String atRisk = officer.page(month + "?show=at-risk");
        assertThat(atRisk).contains("data-patient=\"pt-1\"").contains("data-patient=\"pt-2\"")
                          .doesNotContain("data-patient=\"pt-3\"");

        // the month page asks for the risks across patients once shown; the fragment counts them by kind
        assertThat(officer.page(month)).contains("hx-get=\"" + month + "/risks\"")
                                       .contains("id=\"show-risks\" href=\"" + month + "/risks\"");
        String fragment = anonymous().get().uri(month + "/risks").cookie(ConsoleSession.COOKIE, officer.session())
                                     .header("HX-Request", "true").exchange().expectStatus().isOk()
                                     .expectBody(String.class).returnResult().getResponseBody();
        assertThat(fragment).startsWith("<section").doesNotContain("<html");
        assertThat(fragment).containsPattern("<tr data-risk=\"LATE_ENTRY\">\\s*<th scope=\"row\">late entry</th>"
                                             + "\\s*<td>R3</td><td class=\"num\">2</td>")
                            .containsPattern("<tr data-risk=\"OVERLAPPING_CLINICIAN_TIME\">\\s*<th scope=\"row\">"
                                             + "overlapping clinician time</th>\\s*<td>P2</td><td class=\"num\">2</td>")
                            .contains("id=\"overlaps\"").contains("for patient pt-2 over the same minutes");
        assertThat(officer.page(month + "/risks")).contains("<html").contains("id=\"back-to-month\"");
        // care staff opens neither
        new ConsoleSession(anonymous()).signIn("nurse-rk", "care-staff", practice).get(month + "/risks")
                                                                           .expectStatus().isForbidden();
    }

    /**
     * Reads NDJSON with Python's {@code json} module, an independent reader, line by line into {@code rows}, and
     * returns what {@code script} prints; a line Python cannot read fails the test.
     */
    private static String pythonNdjson(String ndjson, String script) throws Exception {
        Process python = new ProcessBuilder("python3", "-c",
                "import sys, json\nrows=[json.loads(l) for l in sys.stdin if l.strip()]\n" + script).start();
        python.getOutputStream().write(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        python.getOutputStream().close();
        String printed = new String(python.getInputStream().readAllBytes()).strip();
        assertThat(python.waitFor()).as("python3 read the NDJSON").isZero();
        return printed;
    }

    /** The table row of one patient on the month page. */
    private static String rowOf(String page, String patient) {
        int at = page.indexOf("<tr data-patient=\"" + patient + "\"");
        assertThat(at).as("a row for " + patient).isNotNegative();
        return page.substring(at, page.indexOf("</tr>", at) + 5);
    }

    /** Every field that takes a patient's id checks the ledger's one id format and length, on every page with one. */
    @Test
    void everyPatientIdFieldCarriesTheLedgersIdFormat() {
        String practice = "/console/practices/cons-id1";
        ConsoleSession auditor = new ConsoleSession(anonymous()).signIn("auditor-id1", "auditor", "cons-id1");
        Pattern idField = Pattern.compile("<input[^>]*name=\"(?:patient|patientId)\"[^>]*>");
        for (String path : List.of("/console", practice + "/events", practice + "/access-log")) {
            Matcher fields = idField.matcher(auditor.page(path));
            int found = 0;
            while (fields.find()) {
                assertThat(fields.group()).as(path).contains("pattern=\"" + IdFormat.HTML_PATTERN + "\"")
                                          .contains("maxlength=\"" + IdFormat.MAX_LENGTH + "\"");
                found++;
            }
            assertThat(found).as(path).isPositive();
        }
    }

    @Test
    void theAuditPagesAdmitTheRolesOfTheirApiEndpoints() {
        enrollWithConsent("cons-a1", "pat-1");
        enrollWithConsent("cons-a2", "pat-1");
        String practice = "/console/practices/cons-a1";
        ConsoleSession auditor = new ConsoleSession(anonymous()).signIn("auditor-a1", "auditor", "cons-a1");
        assertThat(auditor.page("/console")).contains("id=\"events-cons-a1\"").contains("id=\"access-log-cons-a1\"")
                                            .contains("id=\"break-glass-cons-a1\"")
                                            .contains("id=\"verify-patient-cons-a1\"")
                                            .contains("id=\"packet-patient-cons-a1\"")
                                            .doesNotContain("has no console page");
        auditor.get(practice + "/events").expectStatus().isOk();
        auditor.get(practice + "/events/export.ndjson").expectStatus().isOk();
        auditor.get(practice + "/access-log").expectStatus().isOk();
        auditor.get(practice + "/patients/pat-1/verification").expectStatus().isOk();
        // the start page's forms redirect to the patient's verification and audit packet
        auditor.get(practice + "/patients?patientId=pat-1&open=verification").expectStatus().is3xxRedirection()
               .expectHeader().valueEquals("Location", practice + "/patients/pat-1/verification");
        auditor.get(practice + "/patients?patientId=pat-1&open=audit-packet&month=2026-09")
               .expectStatus().is3xxRedirection()
               .expectHeader().valueEquals("Location", practice + "/patients/pat-1/audit-packet/2026-09");
        // another practice's, and the platform auditor's ledger, are refused
        auditor.get("/console/practices/cons-a2/events").expectStatus().isForbidden();
        auditor.get("/console/practices/cons-a2/access-log").expectStatus().isForbidden();
        auditor.get("/console/practices/cons-a2/patients/pat-1/verification").expectStatus().isForbidden();
        auditor.get("/console/ledger/digests/1/verification").expectStatus().isForbidden();
        // the compliance officer reads the access log and verifies a patient, but not the event log (auditor only)
        ConsoleSession officer = new ConsoleSession(anonymous()).signIn("officer-a1", "compliance-officer",
                                                                        "cons-a1");
        assertThat(officer.page("/console")).contains("id=\"access-log-cons-a1\"")
                                            .doesNotContain("id=\"events-cons-a1\"");
        officer.get(practice + "/access-log").expectStatus().isOk();
        officer.get(practice + "/access-log/export.ndjson").expectStatus().isOk();
        officer.get(practice + "/patients/pat-1/verification").expectStatus().isOk();
        officer.get(practice + "/events").expectStatus().isForbidden();
        officer.get(practice + "/events/export.ndjson").expectStatus().isForbidden();
        // billing and care staff see none of it
        ConsoleSession biller = new ConsoleSession(anonymous()).signIn("biller-a1", "billing", "cons-a1");
        biller.get(practice + "/access-log").expectStatus().isForbidden();
        biller.get(practice + "/access-log/export.ndjson").expectStatus().isForbidden();
        biller.get(practice + "/patients/pat-1/verification").expectStatus().isForbidden();
        ConsoleSession nurse = new ConsoleSession(anonymous()).signIn("nurse-a1", "care-staff", "cons-a1");
        nurse.get(practice + "/events").expectStatus().isForbidden();
        nurse.get(practice + "/access-log").expectStatus().isForbidden();
    }

    @Test
    void theEventLogFiltersPagesAndExportsItselfAsNdjsonAndItsReadsAreLogged() throws Exception {
        enrollWithConsent("cons-a3", "pat-1");
        enrollWithConsent("cons-a3", "pat-2");
        WebTestClient api = clientAs("api-auditor-a3", Set.of(Role.AUDITOR));
        String events = "/api/v1/practices/cons-a3/audit/events?patient=pat-2&limit=1000";
        List<Long> expected = new ArrayList<>();
        List<String> types = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<?, ?> page = api.get().uri(events).exchange().expectStatus().isOk().expectBody(Map.class)
                                .returnResult().getResponseBody();
            List<?> found = (List<?>) page.get("events");
            assertThat(found).hasSizeGreaterThanOrEqualTo(2);
            expected.clear();
            types.clear();
            for (Object e : found) {
                expected.add(((Number) ((Map<?, ?>) e).get("globalIndex")).longValue());
                types.add(String.valueOf(((Map<?, ?>) e).get("type")));
            }
        });
        ConsoleSession auditor = new ConsoleSession(anonymous()).signIn("auditor-a3", "auditor", "cons-a3");
        String log = "/console/practices/cons-a3/events";
        // the patient filter: the same events as the API's, in the same order (then the records of these reads)
        List<Long> shown = indexes(auditor.page(log + "?patient=pat-2"));
        assertThat(shown).startsWith(expected.toArray(Long[]::new));
        assertThat(indexes(auditor.page(log + "?patient=pat-1"))).doesNotContainAnyElementsOf(expected);
        // paged by cursor, one event a page, the filters kept on the next page's link
        String first = auditor.page(log + "?patient=pat-2&type=&limit=1");
        assertThat(indexes(first)).containsExactly(expected.get(0));
        Matcher next = Pattern.compile("id=\"next-page\"\\s+href=\"([^\"]+)\"").matcher(first);
        assertThat(next.find()).isTrue();
        String nextPath = next.group(1).replace("&amp;", "&");
        assertThat(nextPath).contains("patient=pat-2").contains("limit=1").contains("after=" + expected.get(0));
        assertThat(indexes(auditor.page(nextPath))).containsExactly(expected.get(1));
        // the type filter
        String typed = auditor.page(log + "?patient=pat-2&type=" + types.get(0));
        assertThat(Pattern.compile("data-type=\"([^\"]+)\"").matcher(typed).results().map(r -> r.group(1)))
                .isNotEmpty().allMatch(types.get(0)::equals);
        // a malformed filter is refused in words
        auditor.get(log + "?recordedFrom=yesterday").expectStatus().isBadRequest();
        // the whole filtered log as NDJSON, read back by Python's json module line by line
        String ndjson = auditor.get(log + "/export.ndjson?patient=pat-2").expectStatus().isOk()
                               .expectHeader().contentTypeCompatibleWith("application/x-ndjson")
                               .expectHeader().value("Content-Disposition", d -> assertThat(d).startsWith("attachment"))
                               .expectBody(String.class).returnResult().getResponseBody();
        assertThat(pythonNdjson(ndjson, "print(','.join(str(r['globalIndex']) for r in rows))"))
                .startsWith(String.join(",", expected.stream().map(String::valueOf).toList()));
        // the console's reads are in the access log, shown on the access log page too
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String access = auditor.page("/console/practices/cons-a3/access-log?actor=auditor-a3");
            assertThat(access).contains("data-resource=\"console-events\"");
        });
        api.get().uri("/api/v1/practices/cons-a3/audit/access-log?actor=auditor-a3").exchange()
           .expectStatus().isOk().expectBody()
           .jsonPath("$.events[?(@.payload.resource == 'console-access-log')]").exists();
        // the access log's own export, the page's filters applied, read back by Python line by line
        String accessLog = "/console/practices/cons-a3/access-log";
        assertThat(auditor.page(accessLog + "?actor=auditor-a3"))
                .contains("id=\"export-access-log\" href=\"" + accessLog + "/export.ndjson?actor=auditor-a3\"");
        String reads = auditor.get(accessLog + "/export.ndjson?actor=auditor-a3").expectStatus().isOk()
                              .expectHeader().contentTypeCompatibleWith("application/x-ndjson")
                              .expectHeader().value("Content-Disposition", d -> assertThat(d).startsWith("attachment"))
                              .expectBody(String.class).returnResult().getResponseBody();
        String readBack = pythonNdjson(reads, "print(sorted({r['payload']['resource'] for r in rows}), "
                                               + "sorted({r['actor'] for r in rows}))");
        assertThat(readBack).contains("'console-events'").endsWith("['auditor-a3']");
    }

    @Test
    void aPatientAndADigestAreVerifiedOnTheirPages() {
        enrollWithConsent("cons-a4", "pat-1");
        ConsoleSession officer = new ConsoleSession(anonymous()).signIn("officer-a4", "compliance-officer",
                                                                        "cons-a4");
        String page = "/console/practices/cons-a4/patients/pat-1/verification";
        assertThat(officer.page(page)).contains("data-result=\"intact\"").contains("cons-a4");
        assertThat(officer.page(page + "?months=2026-09")).contains("data-result=\"intact\"").contains("2026-09");
        officer.get(page + "?months=September").expectStatus().isBadRequest();

        Map<?, ?> digest = clientAs("platform-admin-a4", Set.of(Role.PLATFORM_ADMIN)).post()
                .uri("/api/v1/ledger/digests").exchange().expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody();
        long sequence = ((Number) digest.get("sequence")).longValue();
        ConsoleSession platform = new ConsoleSession(anonymous()).signIn("platform-auditor-a4", "platform-auditor",
                                                                         "");
        assertThat(platform.page("/console/ledger")).contains("id=\"digest-verify-" + sequence + "\"");
        assertThat(platform.page("/console/ledger/digests/" + sequence + "/verification"))
                .contains("data-result=\"valid\"");
        platform.get("/console/ledger/digests/0/verification").expectStatus().isBadRequest();
        officer.get("/console/ledger/digests/" + sequence + "/verification").expectStatus().isForbidden();
    }

    @Test
    void theTimelineLinksACorrectionToWhatItCorrects() {
        enrollWithConsent("cons-a5", "pat-1");
        String patient = "/api/v1/practices/cons-a5/patients/pat-1";
        post(patient + "/care-minutes", org.ccmledger.support.PatientMother.careMinutes(
                "e1", "CLINICAL_STAFF", "2026-10-05T14:00:00Z", 25)).expectStatus().isCreated();
        post(patient + "/care-minutes/e1/correction", "{\"minutes\":30,\"reason\":\"typo\"}")
                .expectStatus().is2xxSuccessful();
        ConsoleSession officer = new ConsoleSession(anonymous()).signIn("officer-a5", "compliance-officer",
                                                                        "cons-a5");
        String page = "/console/practices/cons-a5/patients/pat-1/timeline";
        assertThat(officer.page("/console/practices/cons-a5/patients/pat-1")).contains("id=\"timeline-link\"");
        String html = officer.page(page);
        Matcher logged = Pattern.compile("<tr id=\"e-([^\"]+)\"\\s+data-index=\"\\d+\" data-type=\"CareMinutesLogged\"")
                                .matcher(html);
        Matcher corrected = Pattern.compile("<tr id=\"e-([^\"]+)\"\\s+data-index=\"\\d+\" data-type=\"CareMinutesCorrected\"")
                                   .matcher(html);
        assertThat(logged.find()).as(html).isTrue();
        assertThat(corrected.find()).isTrue();
        assertThat(html).contains("class=\"corrects\" href=\"#e-" + logged.group(1) + "\"")
                        .contains("class=\"corrected-by\" href=\"#e-" + corrected.group(1) + "\"");
        officer.get("/console/practices/cons-a5/patients/nobody/timeline").expectStatus().isNotFound();
        // the timeline is the compliance officer's, as the API's
        new ConsoleSession(anonymous()).signIn("auditor-a5", "auditor", "cons-a5").get(page).expectStatus()
                                       .isForbidden();
        new ConsoleSession(anonymous()).signIn("biller-a5", "billing", "cons-a5").get(page).expectStatus()
                                       .isForbidden();
    }

    private static List<Long> indexes(String html) {
        return Pattern.compile("data-index=\"(\\d+)\"").matcher(html).results()
                      .map(r -> Long.parseLong(r.group(1))).toList();
    }

    /** Every page and form the console maps is in ConsolePolicy, and nothing else is. */
    @Test
    void thePolicyCoversEveryConsoleEndpoint() {
        Set<String> mapped = new HashSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (var pattern : info.getPatternsCondition().getPatterns()) {
                for (var method : info.getMethodsCondition().getMethods()) {
                    if (pattern.getPatternString().startsWith("/console")) {
                        mapped.add(method.name() + " " + pattern.getPatternString());
                    }
                }
            }
        }
        Set<String> listed = new HashSet<>();
        for (AccessPolicy.Rule rule : ConsolePolicy.RULES) {
            listed.add(rule.method().name() + " " + rule.pattern());
        }
        for (String open : ConsolePolicy.PUBLIC) {
            if (!open.endsWith("/**")) {
                listed.add("GET " + open);
                listed.add("POST " + open);
            }
        }
        listed.add("GET /console");
        listed.add("GET /console/");
        listed.add("POST /console/sign-out");
        assertThat(listed).isEqualTo(mapped);
    }
}
