package org.ccmledger.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

import reactor.core.publisher.Flux;

/**
 * Records what the HTTP tests observe of the API, one line per exchange: method, path, status, the problem's
 * {@code code}; and of every success answer an example for the OpenAPI document, by its media type.
 * {@code ApiContractCoverageTest} (run by a second surefire execution, after every HTTP test) compares these lines with
 * the statuses, codes and media types the OpenAPI document declares for each operation, and picks the examples.
 *
 * <p>An example is what the test read, passed on unchanged (a stream is watched as it flows, never gathered, so a test
 * that reads a few lines of it and cancels still does): a JSON answer of at most {@value #EXAMPLE_LIMIT} bytes whole,
 * a longer one trimmed to valid JSON (every array cut to its first few elements, the summary says so); a text answer
 * (NDJSON, CSV, X12, PEM) its first lines, or X12 segments, up to {@value #EXAMPLE_LIMIT} bytes, cut at a boundary; a
 * binary answer (PDF) only described: its signature and size.
 *
 * <p>Maven sets {@value #DIRECTORY_PROPERTY} to a directory of this build's own (target/api-observations/&lt;build
 * time&gt;); without it (a test run from an IDE) nothing is recorded. Each test JVM writes files of its own.
 */
public final class ExchangeRecorder {

    public static final String DIRECTORY_PROPERTY = "ccm.api.observations";
    /** The largest example kept whole (JSON) or cut to (text), in bytes. */
    public static final int EXAMPLE_LIMIT = 2000;
    /** A JSON answer up to this size is read for an example (trimmed when over {@link #EXAMPLE_LIMIT}). */
    static final int JSON_CAPTURE = 4 * 1024 * 1024;
    /** Of a text answer this much is read for an example: enough for one long first line. */
    static final int TEXT_CAPTURE = 64 * 1024;
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Za-z0-9_]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
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
            record(method, path, status, "");
            if (type != null && status / 100 == 2) {
                return sampling(response, new Sample(method, path, status, type));
            }
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

    /** The body flows through as it comes; what the test read of it, when it is done or cancels, is the example. */
    private static ClientResponse sampling(ClientResponse response, Sample sample) {
        return response.mutate().body(body -> body.doOnNext(sample::add).doFinally(signal -> sample.write()))
                       .build();
    }

    /** What one success answer showed: its first bytes and its size. */
    static final class Sample {

        private final String method;
        private final String path;
        private final int status;
        private final MediaType type;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long size;
        private boolean written;

        Sample(String method, String path, int status, MediaType type) {
            this.method = method;
            this.path = path;
            this.status = status;
            this.type = type;
        }

        synchronized void add(DataBuffer buffer) {
            int count = buffer.readableByteCount();
            size += count;
            int room = (int) Math.min(count, Math.max(0, capture() - kept.size()));
            for (int i = 0; i < room; i++) {
                kept.write(buffer.getByte(buffer.readPosition() + i));
            }
        }

        private int capture() {
            return json(type) ? JSON_CAPTURE : text(type) ? TEXT_CAPTURE : 16;
        }

        synchronized void write() {
            if (written || size == 0) {
                return;
            }
            written = true;
            ObjectNode example = example(type, kept.toByteArray(), size);
            if (example != null) {
                ExchangeRecorder.write("examples-", method + "\t" + path + "\t" + status + "\t"
                        + type.getType() + "/" + type.getSubtype() + "\t" + example + "\n");
            }
        }
    }

    static boolean json(MediaType type) {
        return type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
    }

    static boolean text(MediaType type) {
        return type.getType().equals("text") || json(type) || type.getSubtype().equals("x-ndjson")
                || type.getSubtype().equals("edi-x12") || type.getSubtype().equals("x-pem-file");
    }

    /**
     * The example of an answer of {@code type} whose first bytes are {@code bytes} and whose whole size is
     * {@code size}: {@code {"summary", "value", "trimmed", "size"}} (a binary answer: {@code description}, no value),
     * or {@code null} when nothing fit.
     */
    static ObjectNode example(MediaType type, byte[] bytes, long size) {
        ObjectNode example = JSON.createObjectNode().put("size", size);
        if (!text(type)) {
            String signature = new String(bytes, StandardCharsets.ISO_8859_1).replaceAll("(?s)[^\\x20-\\x7e].*", "");
            return example.put("trimmed", false).put("summary", "Binary (" + type.getType() + "/" + type.getSubtype()
                                                                 + "): not shown")
                          .put("description", "A test run answered " + size + " bytes"
                                  + (signature.isEmpty() ? "" : " beginning `" + signature.strip() + "`")
                                  + "; the body is binary, so no example value is given.");
        }
        boolean whole = bytes.length == size;
        if (json(type)) {
            if (!whole) {
                return null;
            }
            JsonNode body;
            try {
                body = JSON.readTree(bytes);
            } catch (IOException notJson) {
                return null;
            }
            if (body == null) {
                return null;
            }
            if (size <= EXAMPLE_LIMIT) {
                return example.put("trimmed", false).put("summary", "From a test run").set("value", body);
            }
            int elements = 3;
            JsonNode trimmed = trim(body, elements);
            while (elements > 1 && trimmed.toString().length() > EXAMPLE_LIMIT) {
                elements--;
                trimmed = trim(body, elements);
            }
            return example.put("trimmed", true)
                          .put("summary", "From a test run, trimmed: every array cut to its first " + elements
                                  + " element" + (elements == 1 ? "" : "s") + " (the answer was " + size + " bytes)")
                          .set("value", trimmed);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        char boundary = type.getSubtype().equals("edi-x12") ? '~' : '\n';
        String kept = cut(text, boundary, whole);
        if (kept.isEmpty()) {
            return null;
        }
        boolean trimmed = kept.length() < text.length() || !whole;
        String unit = boundary == '~' ? "segments" : "lines";
        long count = kept.chars().filter(c -> c == boundary).count()
                + (kept.charAt(kept.length() - 1) == boundary ? 0 : 1);
        return example.put("trimmed", trimmed)
                      .put("summary", trimmed ? "From a test run, trimmed: the first " + count + " " + unit
                                                + " (the answer was " + size + " bytes)" : "From a test run")
                      .put("value", kept);
    }

    /**
     * The longest beginning of {@code text} that ends at a {@code boundary} (a line, an X12 segment) within
     * {@link #EXAMPLE_LIMIT} bytes, at least its first record; the whole text when it fits.
     */
    static String cut(String text, char boundary, boolean whole) {
        if (whole && text.getBytes(StandardCharsets.UTF_8).length <= EXAMPLE_LIMIT) {
            return text;
        }
        int end = -1;
        int next = text.indexOf(boundary);
        while (next >= 0 && (end < 0 || text.substring(0, next + 1).getBytes(StandardCharsets.UTF_8).length
                                        <= EXAMPLE_LIMIT)) {
            end = next + 1;
            next = text.indexOf(boundary, end);
        }
        if (end < 0) {
            return whole ? text : "";
        }
        if (boundary != '\n' && end < text.length() && text.charAt(end) == '\n') {
            end++;
        }
        return text.substring(0, end);
    }

    /** {@code node} with every array, at any depth, cut to its first {@code elements} elements. */
    static JsonNode trim(JsonNode node, int elements) {
        if (node.isArray()) {
            ArrayNode cut = JSON.createArrayNode();
            for (int i = 0; i < Math.min(elements, node.size()); i++) {
                cut.add(trim(node.get(i), elements));
            }
            return cut;
        }
        if (node.isObject()) {
            ObjectNode cut = JSON.createObjectNode();
            node.fields().forEachRemaining(field -> cut.set(field.getKey(), trim(field.getValue(), elements)));
            return cut;
        }
        return node;
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
