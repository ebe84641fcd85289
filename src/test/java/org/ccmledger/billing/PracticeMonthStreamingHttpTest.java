package org.ccmledger.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;

import org.ccmledger.billing.api.BillingViews.PracticeMonthView;
import org.ccmledger.billing.export.PracticeMonthCsv;
import org.ccmledger.billing.readmodel.BillingReads;
import org.ccmledger.platform.security.Role;
import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PracticeMonthHistory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A practice month of several batches of patients, streamed with the next batches evaluated while one is written:
 * the JSON, CSV and NDJSON are, row for row and in patient order, the month evaluated whole, and the totals written
 * last are those of every row.
 */
class PracticeMonthStreamingHttpTest extends HttpTestBase {

    /** Three batches of a hundred, the last one short. */
    private static final int PATIENTS = 230;

    @Autowired
    private BillingReads reads;
    @Autowired
    private JsonMapper json;

    private final String practice = "pms-" + System.nanoTime();

    @Test
    @DisplayName("R2, R12: a month of 230 patients streamed in batches read ahead gives the rows and totals of the month evaluated whole, in patient order")
    void streamedInBatchesReadAhead() {
        clientAs("admin-1", Set.of(Role.ADMIN)).mutate().responseTimeout(Duration.ofMinutes(3)).build().post()
                .uri("/api/v1/practices/" + practice + "/import").contentType(MediaType.APPLICATION_NDJSON)
                .accept(MediaType.APPLICATION_NDJSON).bodyValue(PracticeMonthHistory.ndjson(PATIENTS)).exchange()
                .expectStatus().isOk().expectBody().returnResult();
        YearMonth month = YearMonth.parse(PracticeMonthHistory.MONTH);
        String last = PracticeMonthHistory.patientId(PATIENTS - 1);
        int lastMinutes = 0;
        for (int e = 1; e <= PracticeMonthHistory.entries(PATIENTS - 1); e++) {
            lastMinutes += PracticeMonthHistory.minutes(PATIENTS - 1, e);
        }
        int expected = lastMinutes;
        await().atMost(Duration.ofSeconds(60)).until(
                () -> reads.patientsOf(practice, month).size() == PATIENTS
                        && reads.patientMonths(practice, List.of(last), month).get(0).minutes().counted() == expected);

        PracticeMonthView whole = reads.practiceMonth(practice, month);
        assertThat(whole.patients()).hasSize(PATIENTS);
        assertThat(whole.patients().stream().filter(r -> !r.lines().isEmpty())).as("billable rows").isNotEmpty();
        String uri = "/api/v1/practices/" + practice + "/billing/" + PracticeMonthHistory.MONTH;

        JsonNode streamed = json.readTree(get(uri, "application/json"));
        assertThat(streamed).isEqualTo(json.readTree(json.writeValueAsString(whole)));
        assertThat(get(uri, "text/csv")).isEqualTo(PracticeMonthCsv.of(whole));
        List<JsonNode> lines = get(uri, "application/x-ndjson").lines().map(json::readTree).toList();
        assertThat(lines).isEqualTo(whole.patients().stream()
                                         .map(r -> json.readTree(json.writeValueAsString(r))).toList());

        // the month's risk scan makes its packets three batches at a time, two ahead: every patient once
        JsonNode scan = json.readTree(get("/api/v1/practices/" + practice + "/audit/risks/"
                                          + PracticeMonthHistory.MONTH, "application/json"));
        assertThat(scan.get("patientMonths").asInt()).isEqualTo(PATIENTS);
        List<String> findingPatients = new java.util.ArrayList<>();
        scan.get("findings").forEach(f -> findingPatients.add(f.get("patientId").asString()));
        assertThat(findingPatients).isNotEmpty().isSorted()
                                   .allSatisfy(p -> assertThat(whole.patients()).anyMatch(r -> r.patientId().equals(p)));
    }

    private String get(String uri, String accept) {
        return client().get().uri(uri).header("Accept", accept).exchange().expectStatus().isOk()
                       .expectBody(String.class).returnResult().getResponseBody();
    }
}
