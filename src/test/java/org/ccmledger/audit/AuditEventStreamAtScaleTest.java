package org.ccmledger.audit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.ccmledger.support.QuietLogs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ccmledger.audit.LargePractice.PRACTICE;
import static org.ccmledger.audit.LargePractice.print;
import static org.ccmledger.audit.LargePractice.seconds;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.LedgerLookup;
import org.ccmledger.platform.mongo.ServiceProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * GET {@code …/audit/events} as {@code application/x-ndjson} streams the whole result without holding it: 100,000
 * care-time events of one practice's 1,000 patients, appended through the real event storage engine into an H2 data
 * directory and indexed as the audit-index projection indexes them ({@link LargePractice}), are streamed by the service
 * running in a JVM of its own whose heap ({@code -Xmx96m}) is smaller than the body and far smaller than the result
 * held as objects. The client counts the lines as they arrive and keeps none; the service must not die of
 * {@code OutOfMemoryError} (it is started to exit on one) and its log must not mention one. The JSON pages at both
 * ends of the result carry the cursor of the next page, but the last.
 * <p>
 * Tagged {@code scale}: it takes minutes, not seconds (filling H2 with 100,000 events alone takes 40 s or more), so
 * the normal build leaves it out; run it with {@code ./mvnw test -Pscale}. {@link AuditLogStreamingTest}, in the
 * normal build, streams the same 100,000 events in-process and checks the iterator's buffer and the heap instead.
 * Sizes: {@code -Daudit.scale.events} (default 100,000), {@code -Daudit.scale.heap} (the service's {@code -Xmx},
 * default 96m). It prints its timings and asserts nothing about speed.
 */
@ExtendWith(QuietLogs.class)
@Tag("scale")
class AuditEventStreamAtScaleTest {

    private static final int EVENTS = Integer.getInteger("audit.scale.events", 100_000);
    private static final String HEAP = System.getProperty("audit.scale.heap", "96m");
    private static final int PATIENTS = 1_000;
    private static final int PAGE = EventQuery.MAX_LIMIT;
    private static final String ACTOR = "scale-auditor";
    private static final String NDJSON = "application/x-ndjson";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;


    @Test
    @DisplayName("NDJSON streams 100,000 events of one practice from a service whose heap could not hold them")
    void streamsTheWholeResultInABoundedHeap() throws Exception {
        long wallStarted = System.nanoTime();
        long cpuStarted = LargePractice.cpuNanos();
        Path data = dir.resolve("data");
        Path log = dir.resolve("service.log");
        LargePractice.Filled filled;
        long holding;
        try (LedgerFixture store = LedgerFixture.onH2(data, false)) {
            filled = LargePractice.fill(store, EVENTS, PATIENTS);
            print("appended %,d events (%,d patients, commits of %,d) to H2 in %.1f s: %,.0f events/s; %,d index "
                          + "documents built and written in %.1f s", EVENTS, PATIENTS,
                  EVENTS / PATIENTS * LargePractice.PATIENTS_PER_COMMIT, seconds(filled.appendNanos()),
                  EVENTS / seconds(filled.appendNanos()), filled.postings(), seconds(filled.indexNanos()));
            LargePractice.tokensAtHead(store.database(), filled.last());
            holding = LargePractice.bytesToHold(new AuditLog(store.database(), store.collections(),
                                                             new LedgerLookup(store.collections()),
                                                             LargePractice.payloads()), EVENTS);
        }
        long heap = heapBytes(HEAP);

        long started = System.nanoTime();
        Path gcLog = dir.resolve("gc.log");
        try (ServiceProcess service = ServiceProcess.start(data, log, List.of("-Xmx" + HEAP,
                                                                              "-XX:+ExitOnOutOfMemoryError",
                                                                              "-Xlog:gc:file=" + gcLog))) {
            print("service started with -Xmx%s in %.1f s (pid %d)", HEAP, seconds(System.nanoTime() - started),
                  service.pid());
            assertNoProcessorReplays(service);

            long streamStarted = System.nanoTime();
            Lines lines;
            try {
                lines = stream(service);
            } catch (IOException broken) {
                boolean exited = service.awaitExit(Duration.ofSeconds(5)); // a dying service finishes its log
                throw new AssertionError("the stream broke off; the service " + (exited ? "exited and " : "")
                        + (Files.readString(log, StandardCharsets.UTF_8).contains("OutOfMemoryError")
                                   ? "ran out of memory" : "went away"), broken);
            }
            long streamNanos = System.nanoTime() - streamStarted;
            print("streamed %,d NDJSON lines (%,d MB) over HTTP in %.1f s: %,.0f events/s", lines.count,
                  lines.bytes >> 20, seconds(streamNanos), lines.count / seconds(streamNanos));
            print("holding the result would take about %,d MB as events, %,d MB as text; the service's heap is "
                          + "-Xmx%s", holding >> 20, lines.bytes >> 20, HEAP);

            assertThat(lines.problem).as("every line an event of the practice, in strictly increasing global-index "
                                                 + "order").isNull();
            assertThat(lines.completed).as("the stream ended normally").isTrue();
            assertThat(lines.logged).as("the practice's care-time events, every one").isEqualTo(EVENTS);
            assertThat(lines.firstLogged).isEqualTo(filled.first());
            assertThat(lines.lastLogged).isEqualTo(filled.last());
            assertThat(lines.count - lines.logged).as("besides them only the access records of this test's reads")
                                                  .isBetween(0L, 2L);
            assertThat(service.isAlive()).as("the service survived the stream").isTrue();
            assertThat(holding).as("holding the result would take far more than the heap: else this proves nothing")
                               .isGreaterThan(2 * heap);
            assertThat(lines.bytes).as("the body alone is larger than the heap").isGreaterThan(heap);

            long pagesStarted = System.nanoTime();
            pagesEndWithoutCursor(service, filled);
            print("read 4 JSON pages of up to %,d at the ends of the result in %.1f s", PAGE,
                  seconds(System.nanoTime() - pagesStarted));
            assertThat(service.isAlive()).isTrue();
            service.stop();
        }
        String serviceLog = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(serviceLog).as("the service's log").doesNotContain("OutOfMemoryError");
        printCollections(gcLog);
        print("whole test: %.1f s wall, %.1f s CPU of the test's JVM (the service's not counted)",
              seconds(System.nanoTime() - wallStarted), seconds(LargePractice.cpuNanos() - cpuStarted));
    }

    // ------------------------------------------------------------------ the service

    private static void assertNoProcessorReplays(ServiceProcess service) throws Exception {
        Map<String, Double> lag = new TreeMap<>();
        for (String line : prometheus(service)) {
            if (line.startsWith("ccm_ledger_processor_lag")) {
                String processor = line.replaceAll(".*processor=\"([^\"]+)\".*", "$1");
                lag.put(processor, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        assertThat(lag).as("lag of every tracking processor: one without a token (LargePractice.PROCESSORS) "
                               + "replays the fill")
                       .isNotEmpty().allSatisfy((processor, events) -> assertThat(events).isLessThan(100));
    }

    private static List<String> prometheus(ServiceProcess service) throws IOException, InterruptedException {
        HttpResponse<String> response = service.http().send(
                HttpRequest.newBuilder(service.uri("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().lines().toList();
    }

    private static Lines stream(ServiceProcess service) throws Exception {
        Lines lines = new Lines();
        HttpRequest request = HttpRequest.newBuilder(service.uri("/api/v1/practices/" + PRACTICE + "/audit/events"))
                                         .header("Accept", NDJSON)
                                         .header("Authorization", service.bearer(ACTOR, PRACTICE))
                                         .timeout(Duration.ofMinutes(5)).build();
        HttpResponse<Lines> response = service.http().send(
                request, HttpResponse.BodyHandlers.fromLineSubscriber(lines, l -> l, "\n"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(NDJSON));
        return response.body();
    }

    /**
     * The JSON pages at both ends of the result: the first has the cursor of the next; of the last 1,500 events
     * (indexes are consecutive: one writer filled the store), a full page with a cursor, then a half page without;
     * a page that ends exactly at the last event has none either.
     */
    private static void pagesEndWithoutCursor(ServiceProcess service, LargePractice.Filled filled) throws Exception {
        JsonNode first = page(service, 0);
        assertThat(first.get("events")).hasSize(PAGE);
        assertThat(first.get("events").get(0).get("globalIndex").asLong()).isEqualTo(filled.first());
        assertThat(first.get("nextCursor").asLong()).isEqualTo(filled.first() + PAGE - 1);

        JsonNode full = page(service, filled.last() - 1_500);
        assertThat(full.get("events")).hasSize(PAGE);
        assertThat(full.get("nextCursor").asLong()).isEqualTo(filled.last() - 500);
        JsonNode half = page(service, full.get("nextCursor").asLong());
        assertThat(half.get("events")).hasSize(500);
        assertThat(half.get("events").get(499).get("globalIndex").asLong()).isEqualTo(filled.last());
        assertThat(absent(half.get("nextCursor"))).as("the last page has no cursor").isTrue();
        JsonNode exact = page(service, filled.last() - PAGE);
        assertThat(exact.get("events")).hasSize(PAGE);
        assertThat(absent(exact.get("nextCursor"))).as("a last page full to its limit has no cursor").isTrue();
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static JsonNode page(ServiceProcess service, long after) throws Exception {
        HttpResponse<String> response = service.http().send(
                HttpRequest.newBuilder(service.uri("/api/v1/practices/" + PRACTICE
                                                   + "/audit/events?type=CareMinutesLogged&limit=" + PAGE
                                                   + "&after=" + after))
                           .header("Accept", "application/json")
                           .header("Authorization", service.bearer(ACTOR, PRACTICE))
                           .timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Counts NDJSON lines as they arrive and checks their order; keeps no line. */
    private static final class Lines implements Flow.Subscriber<String> {

        private static final int DEMAND = 1_024;
        private static final String INDEX = "\"globalIndex\":";
        private static final String TYPE = "\"type\":\"";
        private static final String AGGREGATE = "\"aggregateId\":\"" + PRACTICE + "/";

        long count;
        long bytes;
        boolean completed;
        long logged;
        long firstLogged = -1;
        long lastLogged = -1;
        String problem;
        private long previous;
        private Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(DEMAND);
        }

        @Override
        public void onNext(String line) {
            count++;
            bytes += line.length() + 1;
            long index = number(line, INDEX);
            if (problem == null && index <= previous) {
                problem = "line " + count + ": global index " + index + " after " + previous;
            }
            previous = index;
            String type = text(line, TYPE);
            if ("CareMinutesLogged".equals(type)) {
                if (problem == null && !line.contains(AGGREGATE)) {
                    problem = "line " + count + " is not an event of the practice";
                }
                logged++;
                if (firstLogged < 0) {
                    firstLogged = index;
                }
                lastLogged = index;
            } else if (problem == null && !"PatientDataAccessed".equals(type)) {
                problem = "line " + count + " is a " + type;
            }
            if (count % DEMAND == 0) {
                subscription.request(DEMAND);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            problem = "the stream failed after " + count + " lines: " + throwable;
        }

        @Override
        public void onComplete() {
            completed = true;
        }

        private static long number(String line, String field) {
            int at = line.indexOf(field);
            if (at < 0) {
                return -1;
            }
            int from = at + field.length();
            int to = from;
            while (to < line.length() && Character.isDigit(line.charAt(to))) {
                to++;
            }
            return Long.parseLong(line, from, to, 10);
        }

        private static String text(String line, String field) {
            int at = line.indexOf(field);
            return at < 0 ? null : line.substring(at + field.length(), line.indexOf('"', at + field.length()));
        }
    }

    // ------------------------------------------------------------------ sizes

    /** A collection in the unified GC log: {@code GC(7) Pause Young (Normal) (…) 64M->19M(96M) 19.8ms}. */
    private static final Pattern COLLECTION =
            Pattern.compile("GC\\(\\d+\\) (Pause (?:Young|Full)).* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    /**
     * What the service's GC log says of its heap over the run: the most it held after a collection (an upper bound of
     * what was live: a young collection leaves the old generation's garbage in place).
     */
    private static void printCollections(Path gcLog) throws IOException {
        int pauses = 0;
        int full = 0;
        long maxAfter = 0;
        long capacity = 0;
        for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
            Matcher m = COLLECTION.matcher(line);
            if (m.find()) {
                pauses++;
                full += m.group(1).equals("Pause Full") ? 1 : 0;
                maxAfter = Math.max(maxAfter, Long.parseLong(m.group(3)));
                capacity = Math.max(capacity, Long.parseLong(m.group(4)));
            }
        }
        print("the service's GC log: %,d collections (%d full); heap after a collection at most %,d MB of at most "
                      + "%,d MB", pauses, full, maxAfter, capacity);
    }

    private static long heapBytes(String size) {
        long number = Long.parseLong(size.substring(0, size.length() - 1));
        return switch (Character.toLowerCase(size.charAt(size.length() - 1))) {
            case 'k' -> number << 10;
            case 'm' -> number << 20;
            case 'g' -> number << 30;
            default -> Long.parseLong(size);
        };
    }

}
