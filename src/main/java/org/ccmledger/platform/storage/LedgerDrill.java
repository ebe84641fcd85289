package org.ccmledger.platform.storage;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bson.Document;
import org.ccmledger.CcmLedgerApplication;
import org.ccmledger.platform.security.DevIssuer;
import org.ccmledger.platform.security.Role;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the service on a data directory (a restored backup, a re-encrypted file) on a free port of the loopback
 * interface, with the development issuer of that directory and no digest schedule, and asks it over HTTP, as a
 * platform auditor, to verify the whole ledger ({@code GET /api/v1/ledger/verification}, which checks every event's
 * hash chain and every slot up to the latest digest's N) and to check its latest digest
 * ({@code GET /api/v1/ledger/digests/{sequence}/verification}: signature, chain, Merkle root and event count over the
 * slots 1…N as they are now). Then stops the service.
 */
final class LedgerDrill {

    /**
     * What the drill found.
     *
     * @param passed       the ledger is intact and the latest digest (if any) verifies
     * @param sealedUpTo   the latest digest's N: the highest global index it sealed (0: no digest)
     * @param highestIndex the highest global index in the ledger
     * @param lines        what it reports, one finding a line
     */
    record Outcome(boolean passed, long sealedUpTo, long highestIndex, List<String> lines) {

        /** Prints the drill's lines and its verdict; returns the exit status: 0 passed, 1 failed. */
        int report(java.io.PrintStream out) {
            lines.forEach(out::println);
            out.println("restore drill: " + (passed ? "PASSED" : "FAILED") + ", highest sealed index " + sealedUpTo
                        + ", highest global index " + highestIndex);
            return passed ? 0 : 1;
        }
    }

    /**
     * The keys the service uses; a {@code null} file means the service's default (its configuration or environment,
     * else the file in the data directory).
     */
    record Keys(Path dataKeyFile, Path signingKeyFile, Path masterKeyFile) {
        static final Keys DEFAULT = new Keys(null, null, null);
    }

    private LedgerDrill() {
    }

    static Outcome run(Path dataDirectory, Keys keys, PrintStream progress) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN", "--ccm.mongo.uri=", "--ccm.mongo.embedded.backend=h2",
                "--ccm.mongo.embedded.data-dir=" + dataDirectory, "--ccm.integrity.digest-interval=0",
                "--ccm.security.issuer-uri=", "--ccm.security.jwk-set-uri="));
        if (keys.dataKeyFile() != null) {
            args.add("--ccm.mongo.embedded.data-key=");
            args.add("--ccm.mongo.embedded.data-key-file=" + keys.dataKeyFile());
        }
        if (keys.signingKeyFile() != null) {
            args.add("--ccm.integrity.signing-key-file=" + keys.signingKeyFile());
        }
        if (keys.masterKeyFile() != null) {
            args.add("--ccm.crypto.master-key-file=" + keys.masterKeyFile());
        }
        progress.println("starting the service on " + dataDirectory + " …");
        try (ConfigurableApplicationContext service = SpringApplication.run(CcmLedgerApplication.class,
                                                                             args.toArray(String[]::new))) {
            int port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
            String token = DevIssuer.inDirectory(dataDirectory)
                                    .mint("restore-drill", Set.of(Role.PLATFORM_AUDITOR), List.of(),
                                          Duration.ofHours(1));
            return verify(new Api(port, token));
        }
    }

    private static Outcome verify(Api api) {
        List<String> lines = new ArrayList<>();
        Document report = api.get("/api/v1/ledger/verification");
        boolean intact = report.getBoolean("intact");
        long highestIndex = number(report, "highestIndex");
        lines.add("ledger: " + (intact ? "intact" : "BROKEN") + ", " + number(report, "eventsChecked")
                  + " events checked, highest global index " + highestIndex
                  + (intact ? "" : ", first break " + ((Document) report.get("firstBreak")).toJson()));
        @SuppressWarnings("unchecked")
        List<Document> latest = (List<Document>) api.get("/api/v1/ledger/digests?limit=1").get("digests");
        if (latest.isEmpty()) {
            lines.add("latest digest: none; nothing sealed to verify against (highest sealed index 0)");
            return new Outcome(intact, 0, highestIndex, lines);
        }
        long sequence = number(latest.get(0), "sequence");
        Document check = api.get("/api/v1/ledger/digests/" + sequence + "/verification");
        boolean valid = check.getBoolean("valid");
        long sealedUpTo = number(check, "sealedUpTo");
        lines.add("latest digest " + sequence + ": " + (valid ? "verifies" : "DOES NOT VERIFY " + check.get("problems"))
                  + ", highest sealed index recovered " + sealedUpTo);
        return new Outcome(intact && valid, sealedUpTo, highestIndex, lines);
    }

    private static long number(Document document, String field) {
        return ((Number) document.get(field)).longValue();
    }

    /** The service's API on the loopback interface, as the drill's platform auditor. */
    private record Api(int port, String token) {
        Document get(String path) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                             .timeout(Duration.ofMinutes(30))
                                             .header("Authorization", "Bearer " + token)
                                             .header("Accept", "application/json").GET().build();
            try {
                HttpResponse<String> response = HttpClient.newHttpClient()
                                                          .send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + " "
                                                    + response.body());
                }
                return Document.parse(response.body());
            } catch (IOException e) {
                throw new IllegalStateException("GET " + path + " failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
