package org.ccmledger.platform.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ccmledger.platform.security.DevIssuer;
import org.ccmledger.platform.security.Role;

/**
 * Loads reference data into a running service without a release, through its HTTP API as a platform admin:
 * <pre>
 * import-fee-schedule FILE --year=2027 --cf=33.xxxx [--qp-cf=33.xxxx] [--source=TEXT]
 * import-icd10cm FILE --edition=FY2027 [--effective-from=DATE] [--effective-to=DATE] [--source=TEXT]
 * </pre>
 * FILE is the file as CMS or CDC/NCHS publish it (the PPRRVU CSV; the ICD-10-CM order file), plain or gzip.
 * {@code --url} names the service (default {@code http://localhost:8080}); {@code --token} (or {@code CCM_TOKEN}) a
 * platform-admin bearer token; without one, a token of the local development issuer is minted from the data
 * directory ({@code --data-dir}, else {@code CCM_DATA_DIR}, else {@code ./data}), as {@code mint-token} would. Prints
 * the service's answer; exits 0 when the data was recorded, 1 when it was refused (the problem names line and column),
 * 2 for bad arguments.
 */
public final class ImportCommand {

    public static final String FEE_SCHEDULE = "import-fee-schedule";
    public static final String ICD10CM = "import-icd10cm";
    public static final Set<String> NAMES = Set.of(FEE_SCHEDULE, ICD10CM);
    private static final String USAGE = "usage: import-fee-schedule FILE --year=<yyyy> [--cf=<factor>] "
            + "[--qp-cf=<factor>] [--source=<text>]\n       import-icd10cm FILE --edition=<FYyyyy> "
            + "[--effective-from=<date>] [--effective-to=<date>] [--source=<text>]\n"
            + "options of both: [--url=<service>] [--token=<platform-admin token>] [--data-dir=<dir>]";

    private ImportCommand() {
    }

    /** Runs {@code name} with {@code args}; returns the exit status. */
    public static int run(String name, List<String> args, Map<String, String> environment, PrintStream out,
                          PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        Path file = null;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (!arg.startsWith("--") && file == null) {
                file = Path.of(arg);
            } else {
                err.println("unknown argument " + arg + "\n" + USAGE);
                return 2;
            }
        }
        try {
            if (file == null || !Files.isRegularFile(file)) {
                throw new IllegalArgumentException("FILE must name a readable file");
            }
            String base = options.getOrDefault("url", "http://localhost:8080").replaceAll("/+$", "");
            String path = name.equals(FEE_SCHEDULE) ? feeSchedulePath(options) : icd10Path(options);
            String token = token(options, environment);
            for (String known : List.of("url", "token", "data-dir")) {
                options.remove(known);
            }
            if (!options.isEmpty()) {
                throw new IllegalArgumentException("unknown option --" + options.keySet().iterator().next());
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                                             .timeout(Duration.ofMinutes(5))
                                             .header("Authorization", "Bearer " + token)
                                             .header("Accept", "application/json")
                                             .header("Content-Type", "application/octet-stream")
                                             .POST(HttpRequest.BodyPublishers.ofFile(file))
                                             .build();
            HttpResponse<String> response = HttpClient.newHttpClient()
                                                      .send(request, HttpResponse.BodyHandlers.ofString());
            (response.statusCode() / 100 == 2 ? out : err).println(response.statusCode() + " " + response.body());
            return response.statusCode() / 100 == 2 ? 0 : 1;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (IOException e) {
            err.println("cannot reach the service: " + e.getClass().getSimpleName() + " " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static String feeSchedulePath(Map<String, String> options) {
        String year = required(options, "year");
        if (!year.matches("20[0-9]{2}")) {
            throw new IllegalArgumentException("--year must be four digits");
        }
        StringBuilder query = new StringBuilder();
        param(query, "cf", options.remove("cf"));
        param(query, "qpCf", options.remove("qp-cf"));
        param(query, "source", options.remove("source"));
        return "/api/v1/reference/fee-schedules/" + year + "/imports" + query;
    }

    private static String icd10Path(Map<String, String> options) {
        StringBuilder query = new StringBuilder();
        param(query, "edition", required(options, "edition"));
        param(query, "effectiveFrom", options.remove("effective-from"));
        param(query, "effectiveTo", options.remove("effective-to"));
        param(query, "source", options.remove("source"));
        return "/api/v1/reference/icd10cm/editions" + query;
    }

    private static String token(Map<String, String> options, Map<String, String> environment) {
        String token = options.getOrDefault("token", environment.get("CCM_TOKEN"));
        if (token != null && !token.isBlank()) {
            return token;
        }
        String dataDir = options.getOrDefault("data-dir", environment.getOrDefault("CCM_DATA_DIR", "./data"));
        return DevIssuer.inDirectory(Path.of(dataDir)).mint("reference-import", Set.of(Role.PLATFORM_ADMIN),
                                                            List.of(), Duration.ofMinutes(10));
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.remove(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static void param(StringBuilder query, String name, String value) {
        if (value != null) {
            query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                 .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
