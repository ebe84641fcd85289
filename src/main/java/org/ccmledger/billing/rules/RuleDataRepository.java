package org.ccmledger.billing.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Reads a year's {@link RuleData} from {@code ccm-rules-<year>.json}. A file of that name in the practice's override
 * directory wins over the one shipped under {@code billing/} on the class path, so a practice corrects a cap or an
 * amount without a release. Files are read on every call: an edited override applies to the next evaluation.
 * <p>
 * A file that is malformed, has unknown fields, names another year, or is an override reusing the shipped version
 * string (two different data sets under one version could not be told apart on a statement) is refused with an
 * {@link IllegalStateException} naming the file; nothing falls back silently.
 */
public final class RuleDataRepository {

    private static final String CLASSPATH_FOLDER = "/billing/";
    private static final ObjectMapper JSON = JsonMapper.builder()
                                                       .addModule(new JavaTimeModule())
                                                       .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                                                       .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                                                       .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                                                       .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                                                       .disable(com.fasterxml.jackson.databind.SerializationFeature
                                                                        .WRITE_DATES_AS_TIMESTAMPS)
                                                       .build();

    private final Path overrideDirectory;
    /** The shipped files parsed once per year: a class-path resource never changes while the service runs. */
    private static final Map<Integer, Optional<RuleData>> SHIPPED = new ConcurrentHashMap<>();
    /** Override files parsed, kept while their modification time and size stay the same. */
    private final Map<Path, Parsed> overrides = new ConcurrentHashMap<>();

    private record Parsed(FileTime modified, long size, RuleData data) {
    }

    /** @param overrideDirectory the practice's override directory, or {@code null} for the shipped data only */
    public RuleDataRepository(Path overrideDirectory) {
        this.overrideDirectory = overrideDirectory;
    }

    static String fileName(int year) {
        return "ccm-rules-" + year + ".json";
    }

    /** The year's rule data, the override's if there is one; refused when no data exists for the year. */
    public RuleData forYear(int year) {
        Optional<RuleData> shipped = SHIPPED.computeIfAbsent(year, RuleDataRepository::shipped);
        Optional<Path> override = Optional.ofNullable(overrideDirectory).map(d -> d.resolve(fileName(year)))
                                          .filter(Files::isRegularFile);
        if (override.isEmpty()) {
            return shipped.orElseThrow(() -> new IllegalArgumentException("no CCM rule data for " + year));
        }
        RuleData practice = override(override.get(), year);
        if (shipped.isPresent() && shipped.get().version().equals(practice.version())) {
            throw new IllegalStateException(override.get() + " reuses the shipped version " + practice.version()
                                            + "; give the override its own version");
        }
        return practice;
    }

    /** An override file's data, parsed again only when the file changed (its modification time or size). */
    private RuleData override(Path file, int year) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            Parsed cached = overrides.get(file);
            if (cached != null && cached.modified().equals(modified) && cached.size() == size) {
                return cached.data();
            }
            RuleData data = read(file.toString(), year, () -> Files.newInputStream(file));
            overrides.put(file, new Parsed(modified, size, data));
            return data;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CCM rule data " + file + ": " + e.getMessage(), e);
        }
    }

    /** The rule data as JSON, in the format of the shipped files. */
    public static String toJson(RuleData data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (IOException e) {
            throw new IllegalStateException("rule data " + data.version() + " cannot be written", e);
        }
    }

    /** Rule data from JSON, checked as a shipped file is. */
    public static RuleData fromJson(String json, String where) {
        try {
            return JSON.readValue(json, RuleData.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CCM rule data " + where + ": " + e.getMessage(), e);
        }
    }

    private static Optional<RuleData> shipped(int year) {
        String resource = CLASSPATH_FOLDER + fileName(year);
        if (RuleDataRepository.class.getResource(resource) == null) {
            return Optional.empty();
        }
        return Optional.of(read("classpath:" + resource, year,
                                () -> RuleDataRepository.class.getResourceAsStream(resource)));
    }

    private static RuleData read(String where, int year, Source source) {
        RuleData data;
        try (InputStream in = source.open()) {
            data = JSON.readValue(in, RuleData.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CCM rule data " + where + ": " + e.getMessage(), e);
        }
        if (data.year() != year) {
            throw new IllegalStateException(where + " holds the data of " + data.year() + ", not " + year);
        }
        return data;
    }

    @FunctionalInterface
    private interface Source {
        InputStream open() throws IOException;
    }
}
