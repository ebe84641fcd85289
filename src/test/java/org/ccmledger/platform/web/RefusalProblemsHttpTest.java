package org.ccmledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.ccmledger.support.HttpTestBase;
import org.ccmledger.support.PatientMother;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Refusals that came back without a problem body, with the path in it, or after the command was already in the
 * ledger, as {@code CommandFuzzHttpTest} found them: each is an RFC 9457 problem now, and writes nothing.
 */
class RefusalProblemsHttpTest extends HttpTestBase {

    private static final String PRACTICE = "rp-" + System.nanoTime();
    private static final String PATIENTS = "/api/v1/practices/" + PRACTICE + "/patients";

    @Test
    @DisplayName("A command whose Accept excludes JSON is a 406 problem before it runs: nothing is written")
    void aCommandThatCannotAnswerAsAskedIsRefusedBeforeItRuns() {
        long before = eventsInLedger();
        client().post().uri(PATIENTS).contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.parseMediaType("text/csv")).bodyValue(PatientMother.enrollment("rp-1")).exchange()
                .expectStatus().isEqualTo(406)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(eventsInLedger()).isEqualTo(before);
        post(PATIENTS, PatientMother.enrollment("rp-1")).expectStatus().isCreated();
    }

    @Test
    @DisplayName("An Accept header that is not a list of media types is a 400 problem, for a command and a read")
    void anAcceptHeaderThatIsNotMediaTypesIsAProblem() {
        long before = eventsInLedger();
        client().post().uri(PATIENTS).contentType(MediaType.APPLICATION_JSON).header("Accept", "garbage")
                .bodyValue(PatientMother.enrollment("rp-2")).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(eventsInLedger()).isEqualTo(before);
        client().get().uri(PATIENTS + "/rp-2").header("Accept", "garbage").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    @DisplayName("A path the security firewall refuses (a semicolon) is a 400 problem")
    void aPathTheFirewallRefusesIsAProblem() {
        long before = eventsInLedger();
        client().post().uri(URI.create("http://localhost:" + port + PATIENTS + "/rp-3;v=1/death"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"dateOfDeath\":\"2026-11-02\"}").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(400);
        assertThat(eventsInLedger()).isEqualTo(before);
    }

    @Test
    @DisplayName("A client still sending when the HTTP server refuses its request line reads the 414, not a reset")
    void aClientStillSendingReadsTheRefusal() throws IOException {
        try (StillSending.Connection connection = StillSending.Connection.open(port)) {
            OutputStream out = connection.out();
            InputStream in = connection.in();
            out.write(("POST " + PATIENTS + "/" + "a".repeat(5000) + "/death HTTP/1.1\r\nHost: localhost\r\n"
                       + "Content-Type: application/json\r\nContent-Length: 24576\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the server answers as soon as it has the request line; the client only then sends its body, as a
            // client streaming a large body would, far within the 2 s the server keeps reading
            StillSending.awaitAnswer(in);
            StillSending.sendParts(out, 3, 8192);

            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String text = answer.toString(StandardCharsets.UTF_8);
            assertThat(text).startsWith("HTTP/1.1 414").contains("application/problem+json").contains("\"status\":414");

            // a client that never closes its side: the server closes the connection in the end (2 s), and a write
            // after that meets a closed socket
            StillSending.awaitClosedByServer(out);
        }
    }

    @Test
    @DisplayName("A request line over the limit on a connection kept alive after an answer is refused with a 414 too")
    void aRequestLineOverTheLimitOnAKeptAliveConnectionIsAnswered() throws IOException {
        try (StillSending.Connection connection = StillSending.Connection.open(port)) {
            OutputStream out = connection.out();
            InputStream in = connection.in();
            for (int i = 0; i < 3; i++) {
                out.write(("POST " + PATIENTS + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                           + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readOneAnswer(in)).startsWith("HTTP/1.1 401");
            }
            byte[] body = "{\"x\":1}".getBytes(StandardCharsets.US_ASCII);
            out.write(("POST " + PATIENTS + "/" + "a".repeat(5000) + "/death HTTP/1.1\r\nHost: localhost\r\n"
                       + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();

            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            assertThat(answer.toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.1 414").contains("\"status\":414");
        }
    }

    /** One answer with a Content-Length, read whole: its status line, headers and body. */
    private static String readOneAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head.size() + " bytes");
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        assertThat(length.find()).as(text).isTrue();
        return text + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("What the HTTP server refuses before Spring sees it (a 5 KB request line, 9 KB headers) is a problem")
    void whatTheHttpServerRefusesIsAProblem() {
        anonymous().post().uri(URI.create("http://localhost:" + port + PATIENTS + "/" + "a".repeat(5000) + "/death"))
                   .exchange()
                   .expectStatus().isEqualTo(414)
                   .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                   .expectBody().jsonPath("$.status").isEqualTo(414);
        anonymous().get().uri("/actuator/health").header("X-Padding", "p".repeat(9000)).exchange()
                   .expectStatus().isEqualTo(431)
                   .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                   .expectBody().jsonPath("$.status").isEqualTo(431);
    }

    @Test
    @DisplayName("A problem Spring builds itself (415) names the request's id as its instance, never the path")
    void aProblemSpringBuildsNamesTheRequestNotThePath() {
        client().post().uri(PATIENTS + "/rp-4/death").contentType(MediaType.TEXT_PLAIN).bodyValue("x").exchange()
                .expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.instance").value(instance -> assertThat(instance.toString())
                        .startsWith("urn:ccm-ledger:request:").doesNotContain("rp-4"));
    }
}
