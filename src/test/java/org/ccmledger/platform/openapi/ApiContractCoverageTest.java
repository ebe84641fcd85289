package org.ccmledger.platform.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ccmledger.support.ExchangeRecorder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Observed against documented: every status (and problem {@code code}) the HTTP tests of this build observed for an
 * operation must be one {@code docs/openapi.json} declares for it. Runs in a surefire execution of its own after all
 * other tests ({@code api-contract-coverage} in pom.xml), reading what {@code support.ExchangeRecorder} wrote. The
 * statuses an operation declares that no test observed are reported in {@code coverage.txt} beside the observations,
 * not failed: some (500, 503, a lost race) no test can provoke on purpose.
 */
class ApiContractCoverageTest {

    /**
     * Refused by the HTTP server before any operation is matched (a request line over 4 KB, headers over 8 KB):
     * docs/api.md describes them for the whole API.
     */
    private static final Set<Integer> TRANSPORT = Set.of(414, 431);
    private static final ObjectMapper JSON = new ObjectMapper();

    record Observation(String method, String path, int status, String code) {
    }

    /** An operation of the document: method, path template and its declared answers (status to codes). */
    record Operation(String method, String template, String id, Map<Integer, Set<String>> answers) {

        boolean matches(String method, String path) {
            if (!this.method.equals(method)) {
                return false;
            }
            String[] t = template.split("/", -1);
            String[] p = path.split("/", -1);
            if (t.length != p.length) {
                return false;
            }
            for (int i = 0; i < t.length; i++) {
                boolean variable = t[i].startsWith("{") && t[i].endsWith("}");
                if (variable ? p[i].isEmpty() : !t[i].equals(p[i])) {
                    return false;
                }
            }
            return true;
        }

        /** The more literal segments a template has, the more specific it is: /claims/batches before /claims/{month}. */
        long literals() {
            return Stream.of(template.split("/")).filter(s -> !s.startsWith("{")).count();
        }

        String name() {
            return method + " " + template;
        }
    }

    static List<Operation> operations(JsonNode api) {
        List<Operation> operations = new ArrayList<>();
        JsonNode shared = api.path("components").path("responses");
        api.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            Map<Integer, Set<String>> answers = new TreeMap<>();
            method.getValue().path("responses").fields().forEachRemaining(response -> {
                JsonNode answer = response.getValue();
                if (answer.has("$ref")) {
                    answer = shared.path(answer.get("$ref").asText().replace("#/components/responses/", ""));
                }
                Set<String> codes = new TreeSet<>();
                answer.path(ApiProblems.CODES).forEach(code -> codes.add(code.asText()));
                answers.put(Integer.parseInt(response.getKey()), codes);
            });
            operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(),
                                         method.getValue().path("operationId").asText(), answers));
        }));
        return operations;
    }

    static Optional<Operation> operationOf(List<Operation> operations, String method, String path) {
        return operations.stream().filter(op -> op.matches(method, path))
                         .max(java.util.Comparator.comparingLong(Operation::literals));
    }

    /** Each observation no declaration covers, named by operation, status and code. */
    static Set<String> undocumented(List<Operation> operations, List<Observation> observations) {
        Set<String> undocumented = new TreeSet<>();
        for (Observation seen : observations) {
            if (TRANSPORT.contains(seen.status())) {
                continue;
            }
            operationOf(operations, seen.method(), seen.path()).ifPresent(op -> {
                Set<String> codes = op.answers().get(seen.status());
                if (codes == null) {
                    undocumented.add(op.name() + ": status " + seen.status()
                                             + (seen.code().isEmpty() ? "" : " (code " + seen.code() + ")"));
                } else if (!seen.code().isEmpty() && !codes.contains(seen.code())) {
                    undocumented.add(op.name() + ": status " + seen.status() + " with code " + seen.code());
                }
            });
        }
        return undocumented;
    }

    static List<Observation> read(Path directory) throws IOException {
        List<Observation> observations = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("exchanges-")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] field = line.split("\t", -1);
                    if (field.length == 4) {
                        observations.add(new Observation(field[0], field[1], Integer.parseInt(field[2]), field[3]));
                    }
                }
            }
        }
        return observations;
    }

    @Test
    void everyObservedAnswerIsDocumented() throws IOException {
        String directory = System.getProperty(ExchangeRecorder.DIRECTORY_PROPERTY);
        Assumptions.assumeTrue(directory != null && Files.isDirectory(Path.of(directory)),
                               "no HTTP test recorded anything in this build (run by Maven: ./mvnw test)");
        List<Observation> observations = read(Path.of(directory));
        Assumptions.assumeFalse(observations.isEmpty(), "no HTTP test recorded anything in this build");
        List<Operation> operations = operations(JSON.readTree(ApiContractTest.SNAPSHOT.toFile()));

        StringBuilder report = new StringBuilder("Documented answers no HTTP test observed in this build:\n");
        for (Operation op : operations) {
            Set<Integer> seen = new TreeSet<>();
            observations.stream().filter(o -> operationOf(operations, o.method(), o.path()).orElse(null) == op)
                        .forEach(o -> seen.add(o.status()));
            Set<Integer> unseen = new TreeSet<>(op.answers().keySet());
            unseen.removeAll(seen);
            report.append(seen.isEmpty() ? "NEVER CALLED " : "").append(op.name()).append(": ").append(unseen)
                  .append('\n');
        }
        System.out.println(report);
        JsonNode api = JSON.readTree(ApiContractTest.SNAPSHOT.toFile());
        List<Sample> samples = samples(Path.of(directory), operations);
        Map<String, Map<String, JsonNode>> examples = writeExamples(Path.of(directory), samples);
        StringBuilder exampled = new StringBuilder("Success media types without an example from this build:\n");
        successMediaTypes(api).forEach((id, types) -> types.stream()
                .filter(type -> !examples.getOrDefault(id, Map.of()).containsKey(type))
                .forEach(type -> exampled.append(id).append(' ').append(type).append('\n')));
        Files.writeString(Path.of(directory, "coverage.txt"), report.append('\n').append(exampled),
                          StandardCharsets.UTF_8);

        assertThat(undocumented(operations, observations))
                .as("statuses and codes the HTTP tests observed that docs/openapi.json does not declare: declare them "
                            + "in ApiOperations (platform/openapi) and refresh docs/openapi.json")
                .isEmpty();
        assertThat(undeclaredMediaTypes(successMediaTypes(api), samples))
                .as("success answers the HTTP tests observed in a media type docs/openapi.json does not declare for "
                            + "the operation (content negotiation): declare it (produces) and refresh the document")
                .isEmpty();
    }

    /** An example a test run showed of an operation's success answer in one media type. */
    record Sample(String operationId, String mediaType, ObjectNode example) {

        /** A whole answer that says something ({@value #TELLING} characters) is worth more than a trimmed one. */
        static final int TELLING = 500;

        /** A telling whole answer before any other, then the longer (a trimmed bundle before an empty one). */
        static final java.util.Comparator<Sample> BETTER = java.util.Comparator
                .<Sample>comparingInt(s -> !s.example().path("trimmed").asBoolean() && s.length() >= TELLING ? 1 : 0)
                .thenComparingInt(Sample::length);

        int length() {
            return example.path("value").toString().length();
        }
    }

    /** The success examples this build recorded, of operations of the document and a status they declare. */
    static List<Sample> samples(Path directory, List<Operation> operations) throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("examples-")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] field = line.split("\t", 5);
                    if (field.length < 5) {
                        continue;
                    }
                    Optional<Operation> op = operationOf(operations, field[0], field[1]);
                    if (op.isEmpty() || !op.get().answers().containsKey(Integer.parseInt(field[2]))) {
                        continue;
                    }
                    samples.add(new Sample(op.get().id(), field[3], (ObjectNode) JSON.readTree(field[4])));
                }
            }
        }
        return samples;
    }

    /**
     * The best example of each operation and media type this build observed (a whole answer of some length before a
     * trimmed one, then the longest), as {@code examples.json} beside the observations: copied to
     * src/main/resources/openapi/examples.json, they are the document's examples (docs/api.md, "The OpenAPI
     * document").
     */
    static Map<String, Map<String, JsonNode>> writeExamples(Path directory, List<Sample> samples) throws IOException {
        Map<String, Map<String, Sample>> best = new TreeMap<>();
        for (Sample sample : samples) {
            best.computeIfAbsent(sample.operationId(), id -> new TreeMap<>())
                .merge(sample.mediaType(), sample, (a, b) -> Sample.BETTER.compare(a, b) >= 0 ? a : b);
        }
        Map<String, Map<String, JsonNode>> examples = new TreeMap<>();
        best.forEach((id, byType) -> byType.forEach((type, sample) -> {
            ObjectNode example = sample.example().deepCopy();
            example.remove(List.of("trimmed", "size"));
            examples.computeIfAbsent(id, i -> new TreeMap<>()).put(type, example);
        }));
        Files.writeString(directory.resolve("examples.json"), ApiContractTest.pretty(JSON.valueToTree(examples)),
                          StandardCharsets.UTF_8);
        return examples;
    }

    /** The success media types each operation of the document declares, by operationId. */
    static Map<String, Set<String>> successMediaTypes(JsonNode api) {
        Map<String, Set<String>> types = new TreeMap<>();
        api.path("paths").forEach(path -> path.forEach(operation -> operation.path("responses").fields()
                .forEachRemaining(response -> {
                    Set<String> declared = types.computeIfAbsent(operation.path("operationId").asText(),
                                                                 id -> new TreeSet<>());
                    if (response.getKey().startsWith("2")) {
                        response.getValue().path("content").fieldNames().forEachRemaining(declared::add);
                    }
                })));
        return types;
    }

    /** Each success answer a test observed in a media type its operation does not declare. */
    static Set<String> undeclaredMediaTypes(Map<String, Set<String>> declared, List<Sample> samples) {
        Set<String> undeclared = new TreeSet<>();
        for (Sample sample : samples) {
            if (!declared.getOrDefault(sample.operationId(), Set.of()).contains(sample.mediaType())) {
                undeclared.add(sample.operationId() + " answered " + sample.mediaType());
            }
        }
        return undeclared;
    }

    /** The comparison finds an undeclared status and an undeclared code, and ignores what is declared. */
    @Test
    void theComparisonFindsWhatIsNotDeclared() {
        List<Operation> operations = List.of(
                new Operation("GET", "/p/{id}", "getP", Map.of(200, Set.of(), 404, Set.of("UNKNOWN"))),
                new Operation("GET", "/p/batches", "listBatches", Map.of(200, Set.of())));
        List<Observation> observations = List.of(
                new Observation("GET", "/p/7", 200, ""),
                new Observation("GET", "/p/7", 404, "UNKNOWN"),
                new Observation("GET", "/p/7", 404, "GONE"),
                new Observation("GET", "/p/7", 409, ""),
                new Observation("GET", "/p/batches", 200, ""),
                new Observation("GET", "/p/batches", 414, ""),
                new Observation("GET", "/elsewhere", 500, ""));
        assertThat(undocumented(operations, observations)).containsExactly(
                "GET /p/{id}: status 404 with code GONE", "GET /p/{id}: status 409");
    }

    /** The committed document declares what the comparison reads: shared answers by reference, codes inline. */
    @Test
    void theDocumentsAnswersAreRead() throws IOException {
        List<Operation> operations = operations(JSON.readTree(ApiContractTest.SNAPSHOT.toFile()));
        Operation enroll = operationOf(operations, "POST", "/api/v1/practices/p1/patients").orElseThrow();
        assertThat(enroll.answers()).containsKeys(201, 400, 401, 403, 409, 422);
        assertThat(enroll.answers().get(409)).contains("ALREADY_ENROLLED");
        Iterator<Operation> all = operations.iterator();
        assertThat(all.hasNext()).isTrue();
    }
}
