package org.ccmledger.platform.mongo;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The service started in a JVM of its own, on the embedded H2 default, as a user would run it (on a data directory that
 * may already hold a ledger).
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dataDir;

    private ServiceProcess(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** An {@code Authorization} header value: a development-issuer token for the user with every role. */
    public String bearer(String user, String practice) {
        return "Bearer " + new org.ccmledger.support.TestTokens(dataDir)
                .mint(user, org.ccmledger.support.TestTokens.ALL_ROLES, practice);
    }

    /** The service with a 384 MB heap. */
    public static ServiceProcess start(Path dataDir, Path log) throws IOException {
        return start(dataDir, log, List.of("-Xmx384m"));
    }

    /**
     * The service with these JVM options (heap size and the like: give {@code -Xmx} here, there is no default then),
     * its output appended to {@code log}; returns once it reports healthy.
     */
    public static ServiceProcess start(Path dataDir, Path log, List<String> jvmOptions) throws IOException {
        return start(dataDir, log, jvmOptions, java.util.Map.of(), List.of());
    }

    /**
     * The service with these JVM options, environment variables added to this JVM's and arguments added to the
     * defaults (a later {@code --name=value} wins); returns once it reports healthy.
     */
    public static ServiceProcess start(Path dataDir, Path log, List<String> jvmOptions,
                                       java.util.Map<String, String> environment, List<String> arguments)
            throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, "org.ccmledger.CcmLedgerApplication", "--server.port=" + port,
                               "--ccm.mongo.embedded.data-dir=" + dataDir, "--spring.main.banner-mode=off"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                                                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        ServiceProcess service = new ServiceProcess(process, port, dataDir);
        service.awaitHealthy(Duration.ofSeconds(120));
        return service;
    }

    private void awaitHealthy(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("the service exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(),
                                                           HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            process.onExit().completeOnTimeout(null, 200, java.util.concurrent.TimeUnit.MILLISECONDS).join();
        }
        throw new IOException("the service did not become healthy within " + timeout);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpClient http() {
        return http;
    }

    /** SIGKILL: no shutdown hook, no flush, no close. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: a graceful stop. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            killHard();
        }
    }

    /** Waits up to {@code timeout} for the service to exit by itself; returns whether it has. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Whether the service's JVM is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The service's process id. */
    public long pid() {
        return process.pid();
    }

    static File logFile(Path dir) {
        return dir.resolve("service.log").toFile();
    }
}
