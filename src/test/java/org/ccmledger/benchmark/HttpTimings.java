package org.ccmledger.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * What the practice-month benchmarks time over HTTP: a response's first byte (or first line of a stream) and its whole
 * body, read as a client reads it, and a console session signed in through the development sign-in form.
 */
final class HttpTimings {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The first byte (the first line for a stream: {@code untilLine}) and the whole body, in seconds. */
    record Timing(double first, double whole, int status, String body) {
    }

    /** Sends the request and reads the whole body; the status must be 200. */
    Timing time(HttpRequest.Builder request, boolean untilLine) throws Exception {
        Timing timing = timeAny(request, untilLine);
        assertThat(timing.status()).as(timing.body().length() > 300 ? timing.body().substring(0, 300)
                                               : timing.body()).isEqualTo(200);
        return timing;
    }

    /** Sends the request (GET unless the builder says otherwise) and reads the whole body, whatever the status. */
    Timing timeAny(HttpRequest.Builder request, boolean untilLine) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request.timeout(Duration.ofMinutes(10)).build(),
                                                       HttpResponse.BodyHandlers.ofInputStream());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long first = 0;
        try (InputStream in = response.body()) {
            int b;
            while ((b = in.read()) >= 0) {
                if (first == 0 && (!untilLine || b == '\n')) {
                    first = System.nanoTime();
                }
                body.write(b);
                if (first != 0) {
                    in.transferTo(body);
                    break;
                }
            }
        }
        long end = System.nanoTime();
        return new Timing((first == 0 ? end - start : first - start) / 1e9, (end - start) / 1e9,
                          response.statusCode(), body.toString(StandardCharsets.UTF_8));
    }

    /**
     * Signs in to the console as {@code user} with {@code role} through the development sign-in form: the session
     * cookie's value.
     */
    static String signIn(WebTestClient anonymous, String user, String role, String practice) {
        var page = anonymous.get().uri("/console/sign-in").exchange().expectStatus().isOk()
                            .returnResult(String.class);
        ResponseCookie first = page.getResponseCookies().getFirst("CCM_CONSOLE");
        Matcher csrf = CSRF.matcher(String.join("", page.getResponseBody().collectList().block()));
        assertThat(csrf.find()).isTrue();
        var signedIn = anonymous.post().uri("/console/sign-in").cookie("CCM_CONSOLE", first.getValue())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("user", user).with("role", role)
                                   .with("practice", practice).with("_csrf", csrf.group(1)))
                .exchange().expectStatus().is3xxRedirection().returnResult(Void.class);
        return signedIn.getResponseCookies().getFirst("CCM_CONSOLE").getValue();
    }
}
