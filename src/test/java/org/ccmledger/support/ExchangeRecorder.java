package org.ccmledger.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

import reactor.core.publisher.Flux;

/**
 * Records what the HTTP tests observe of the API, one line per exchange: method, path, status, the problem's
 * {@code code}. {@code ApiContractCoverageTest} (run by a second surefire execution, after every HTTP test) compares
 * these lines with the statuses and codes the OpenAPI document declares for each operation.
 *
 * <p>Maven sets {@value #DIRECTORY_PROPERTY} to a directory of this build's own (target/api-observations/&lt;build
 * time&gt;); without it (a test run from an IDE) nothing is recorded. Each test JVM writes a file of its own.
 */
public final class ExchangeRecorder {

    public static final String DIRECTORY_PROPERTY = "ccm.api.observations";
    /** The largest success body kept as an example, in bytes. */
    public static final int EXAMPLE_LIMIT = 2000;
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Za-z0-9_]+)\"");
    private static final Path FILE = file();

    private ExchangeRecorder() {
    }

    private static Path file() {
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (directory == null || directory.isBlank()) {
            return null;
        }
        return Path.of(directory, "exchanges-" + ProcessHandle.current().pid() + ".tsv");
    }

    /** The filter {@link HttpTestBase} puts on every client it makes. */
    public static ExchangeFilterFunction filter() {
        return (request, next) -> next.exchange(request).map(response -> {
            if (FILE == null) {
                return response;
            }
            String method = request.method().name();
            String path = request.url().getRawPath();
            int status = response.statusCode().value();
            MediaType type = response.headers().contentType().orElse(null);
            if (type != null && type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)) {
                return readingProblem(response, method, path, status);
            }
            if (type != null && type.isCompatibleWith(MediaType.APPLICATION_JSON) && status / 100 == 2) {
                return readingExample(response, method, path, status);
            }
            record(method, path, status, "");
            return response;
        });
    }

    /** A problem body is small: it is joined, its {@code code} noted, and passed on unchanged. */
    private static ClientResponse readingProblem(ClientResponse response, String method, String path, int status) {
        return response.mutate().body(body -> DataBufferUtils.join(body).map(joined -> {
            String text = joined.toString(joined.readPosition(), joined.readableByteCount(), StandardCharsets.UTF_8);
            Matcher code = CODE.matcher(text);
            record(method, path, status, code.find() ? code.group(1) : "");
            return (DataBuffer) joined;
        }).flux().switchIfEmpty(Flux.defer(() -> {
            record(method, path, status, "");
            return Flux.empty();
        }))).build();
    }

    /**
     * A JSON success body (never streamed: WebTestClient reads it whole anyway) is kept as an example for the OpenAPI
     * document when it is at most {@value #EXAMPLE_LIMIT} characters.
     */
    private static ClientResponse readingExample(ClientResponse response, String method, String path, int status) {
        record(method, path, status, "");
        return response.mutate().body(body -> DataBufferUtils.join(body).map(joined -> {
            if (joined.readableByteCount() <= EXAMPLE_LIMIT) {
                String text = joined.toString(joined.readPosition(), joined.readableByteCount(),
                                              StandardCharsets.UTF_8);
                write("examples-", method + "\t" + path + "\t" + status + "\t"
                        + text.replace("\n", " ").replace("\r", " ") + "\n");
            }
            return (DataBuffer) joined;
        }).flux()).build();
    }

    private static void record(String method, String path, int status, String code) {
        write("exchanges-", method + "\t" + path + "\t" + status + "\t" + code + "\n");
    }

    private static synchronized void write(String prefix, String line) {
        Path file = FILE.resolveSibling(prefix + ProcessHandle.current().pid() + ".tsv");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot record an exchange under " + file, e);
        }
    }
}
