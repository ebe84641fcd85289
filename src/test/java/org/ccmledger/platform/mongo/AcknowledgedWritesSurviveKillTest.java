package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bson.Document;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.LedgerVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable on acknowledgement: with the service in its own process on the embedded H2 default, every care-time entry
 * it acknowledged (201) before a {@code kill -9} is in the ledger after a restart, and the last ones acknowledged,
 * sent again with their {@code Idempotency-Key}, get their first answer again.
 */
class AcknowledgedWritesSurviveKillTest {

    private static final String ENROLL = """
            {"patientId":"pt-1","billingPractitionerNpi":"1234567893","timeZone":"UTC",
             "qualifiedMedicareBeneficiary":false,"chronicConditions":[
             {"code":"E11.9","description":"Type 2 diabetes","expectedToLast12Months":true,"significantRisk":true},
             {"code":"I10","description":"Hypertension","expectedToLast12Months":true,"significantRisk":true}]}""";

    private static final String CARE_MINUTES = "/api/v1/practices/p1/patients/pt-1/care-minutes";
    private static final Pattern ENTRY_ID = Pattern.compile("\"entryId\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAppendSurvivesKillDashNine() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("service.log");
        Instant startedAt = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<String, String> bodies = new ConcurrentHashMap<>();
        Deque<String> lastAcknowledged = new ConcurrentLinkedDeque<>();

        try (ServiceProcess service = ServiceProcess.start(data, log)) {
            assertThat(post(service, "/api/v1/practices/p1/patients", ENROLL, "enroll-once").statusCode())
                    .isEqualTo(201);
            assertThat(post(service, "/api/v1/practices/p1/patients/pt-1/consents",
                            org.ccmledger.support.PatientMother.consent()).statusCode()).isEqualTo(201);
            AtomicInteger sent = new AtomicInteger();
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String entryId = "e-" + i;
                String body = "{\"entryId\":\"" + entryId + "\",\"performer\":{\"id\":\"rn1\",\"role\":\"CLINICAL_STAFF\"},"
                        + "\"startedAt\":\"" + startedAt + "\",\"minutes\":1,\"activity\":\"CARE_COORDINATION\"}";
                // with a key: its claim is written without an fsync of its own, its answer with one (DurableH2Backend)
                HttpRequest keyed = HttpRequest.newBuilder(request(service, CARE_MINUTES, body), (n, v) -> true)
                                               .header("Idempotency-Key", entryId).build();
                inFlight.add(service.http().sendAsync(keyed, HttpResponse.BodyHandlers.ofString())
                                    .thenAccept(r -> {
                                        if (r.statusCode() == 201) {
                                            acknowledged.add(entryId);
                                            bodies.put(entryId, body);
                                            lastAcknowledged.add(entryId);
                                        }
                                    })
                                    .exceptionally(e -> null));
                sent.incrementAndGet();
                if (inFlight.size() >= 8) {
                    inFlight.remove(0).join();
                }
                if (acknowledged.size() >= 150) {
                    break;
                }
            }
            service.killHard();
            inFlight.forEach(CompletableFuture::join);
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(150);

        YearMonth month = YearMonth.from(startedAt.atZone(ZoneOffset.UTC));
        try (ServiceProcess restarted = ServiceProcess.start(data, log)) {
            HttpResponse<String> again = post(restarted, "/api/v1/practices/p1/patients", ENROLL, "enroll-once");
            assertThat(again.statusCode()).as("the key's first response, remembered across the crash").isEqualTo(201);
            assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
            // the last entries acknowledged before the kill: each key's answer is remembered, nothing is logged twice
            List<String> latest = new ArrayList<>(lastAcknowledged).subList(Math.max(0, lastAcknowledged.size() - 5),
                                                                            lastAcknowledged.size());
            for (String entryId : latest) {
                HttpResponse<String> repeated = post(restarted, CARE_MINUTES, bodies.get(entryId), entryId);
                assertThat(repeated.statusCode()).as("the repeat of acknowledged %s", entryId).isEqualTo(201);
                assertThat(repeated.headers().firstValue("Idempotent-Replayed")).contains("true");
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                HttpResponse<String> response = restarted.http().send(
                        HttpRequest.newBuilder(restarted.uri("/api/v1/practices/p1/patients/pt-1/minutes/" + month))
                                   .header("Authorization", restarted.bearer("rn1", "p1")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                for (String entryId : acknowledged) {
                    assertThat(response.body()).contains("\"" + entryId + "\"");
                }
            });
            restarted.stop();
        }

        try (LedgerFixture ledger = LedgerFixture.onH2(data)) {
            Set<String> inLedger = ConcurrentHashMap.newKeySet();
            for (Document event : ledger.collections().events().find()) {
                Matcher entry = ENTRY_ID.matcher(event.getString("payload"));
                if (entry.find()) {
                    inLedger.add(entry.group(1));
                }
            }
            assertThat(inLedger).containsAll(acknowledged);
            assertThat(new LedgerVerifier(ledger.collections()).verifyLedger().firstBreak()).isNull();
        }
    }

    private static HttpRequest request(ServiceProcess service, String path, String body) {
        return HttpRequest.newBuilder(service.uri(path))
                          .header("Content-Type", "application/json")
                          .header("Authorization", service.bearer("rn1", "p1"))
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build();
    }

    private static HttpResponse<String> post(ServiceProcess service, String path, String body) throws Exception {
        return service.http().send(request(service, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ServiceProcess service, String path, String body, String key)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(service.uri(path))
                                         .header("Content-Type", "application/json")
                                         .header("Authorization", service.bearer("rn1", "p1"))
                                         .header("Idempotency-Key", key)
                                         .POST(HttpRequest.BodyPublishers.ofString(body))
                                         .build();
        return service.http().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
