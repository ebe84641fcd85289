package org.ccmledger.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

import org.ccmledger.platform.security.Role;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PracticeMonthHistory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/**
 * How soon a large practice's month is on screen (issue 17 item 2, docs/performance.md "The console's practice month"):
 * {@code month.patients} patients (three to six care entries each, {@link PracticeMonthHistory}) imported through the
 * store, then over HTTP, signed in to the console as billing: the month page's first byte and whole first page, the
 * totals fragment, a filtered page, and the API's NDJSON stream's first line and whole stream.
 * <p>
 * {@code ./mvnw test -Pbenchmark -Dtest=PracticeMonthPageBenchmark [-Dmonth.patients=10000]}. Prints numbers; asserts
 * nothing about time.
 */
@Tag("benchmark")
@TestPropertySource(properties = {"ccm.mongo.embedded.backend=h2",
                                  "ccm.mongo.embedded.data-dir=" + PracticeMonthPageBenchmark.DATA})
class PracticeMonthPageBenchmark extends HttpTestBase {

    static final String DATA = "target/month-page-benchmark-data";

    static {
        // a fresh store each run: an earlier run's store would be read, replayed and compacted along with this one's
        org.springframework.util.FileSystemUtils.deleteRecursively(java.nio.file.Path.of(DATA).toFile());
    }

    private static final int PATIENTS = Integer.getInteger("month.patients", 10_000);
    private static final int PER_IMPORT = 1_000;
    private static final int RUNS = 3;
    private final HttpTimings timings = new HttpTimings();

    @Test
    void firstRows() throws Exception {
        String practice = "mpb-" + System.nanoTime();
        long started = System.nanoTime();
        String file = PracticeMonthHistory.ndjson(PATIENTS);
        String[] lines = file.split("(?<=\n)");
        StringBuilder chunk = new StringBuilder();
        int inChunk = 0;
        for (String line : lines) {
            // a chunk ends with a whole patient: the next line begins another patient's enrolment
            if (line.contains("\"kind\":\"enrollment\"") && inChunk++ == PER_IMPORT) {
                importFile(practice, chunk.toString());
                chunk.setLength(0);
                inChunk = 1;
            }
            chunk.append(line);
        }
        importFile(practice, chunk.toString());
        double imported = (System.nanoTime() - started) / 1e9;
        int last = PATIENTS - 1;
        int lastMinutes = IntStream.rangeClosed(1, PracticeMonthHistory.entries(last))
                                   .map(e -> PracticeMonthHistory.minutes(last, e)).sum();
        String lastBilling = "/api/v1/practices/" + practice + "/patients/" + PracticeMonthHistory.patientId(last)
                             + "/billing/" + PracticeMonthHistory.MONTH;
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> client().get().uri(lastBilling).exchange().expectStatus().isOk().expectBody()
                                             .jsonPath("$.minutes.counted").isEqualTo(lastMinutes));
        double readModel = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%nPractice month of %d patients (%d lines imported): imported in %.0f s, "
                                       + "billing read model complete after %.0f s%n", PATIENTS, lines.length,
                          imported, readModel);

        String session = signIn(practice);
        String base = "http://localhost:" + port;
        String month = "/console/practices/" + practice + "/months/" + PracticeMonthHistory.MONTH;
        String api = "/api/v1/practices/" + practice + "/billing/" + PracticeMonthHistory.MONTH;
        String token = tokens().mint("biller-b", Set.of(Role.BILLING), practice);
        for (int run = 1; run <= RUNS; run++) {
            HttpTimings.Timing page = time(HttpRequest.newBuilder(URI.create(base + month))
                                          .header("Cookie", "CCM_CONSOLE=" + session), false);
            HttpTimings.Timing next = time(HttpRequest.newBuilder(URI.create(base + month + "?show=all&page=" + (PATIENTS / 2 / 50 + 1)))
                                          .header("Cookie", "CCM_CONSOLE=" + session), false);
            HttpTimings.Timing filtered = time(HttpRequest.newBuilder(URI.create(base + month + "?show=billable"))
                                              .header("Cookie", "CCM_CONSOLE=" + session), false);
            HttpTimings.Timing totals = time(HttpRequest.newBuilder(URI.create(base + month + "/totals"))
                                            .header("Cookie", "CCM_CONSOLE=" + session)
                                            .header("HX-Request", "true"), false);
            HttpTimings.Timing ndjson = time(HttpRequest.newBuilder(URI.create(base + api))
                                            .header("Authorization", "Bearer " + token)
                                            .header("Accept", "application/x-ndjson"), true);
            assertThat(page.body()).contains("data-patient=\"" + PracticeMonthHistory.patientId(0) + "\"");
            assertThat(next.body()).contains("data-patient=\"" + PracticeMonthHistory.patientId(PATIENTS / 2) + "\"");
            assertThat(totals.body()).contains("id=\"total-amount\"");
            System.out.printf(Locale.ROOT, "  run %d: month page first byte %.3f s, whole first page %.3f s; page "
                                           + "in the middle %.3f s; billable filter page %.3f s; totals fragment %.3f s; API "
                                           + "NDJSON first line %.3f s, whole stream %.3f s (%d lines)%n", run,
                              page.first(), page.whole(), next.whole(), filtered.whole(), totals.whole(),
                              ndjson.first(), ndjson.whole(), ndjson.body().lines().count());
        }
    }

    private void importFile(String practice, String file) {
        clientAs("admin-1", Set.of(Role.ADMIN)).mutate().responseTimeout(Duration.ofMinutes(30)).build().post()
                .uri("/api/v1/practices/" + practice + "/import").contentType(MediaType.APPLICATION_NDJSON)
                .accept(MediaType.APPLICATION_NDJSON).bodyValue(file).exchange().expectStatus().isOk()
                .expectBody().returnResult();
    }

    private HttpTimings.Timing time(HttpRequest.Builder request, boolean untilLine) throws Exception {
        return timings.time(request.GET(), untilLine);
    }

    /** Signs in to the console as billing through the development sign-in form: the session cookie's value. */
    private String signIn(String practice) {
        return HttpTimings.signIn(anonymous(), "biller-b", "billing", practice);
    }
}
