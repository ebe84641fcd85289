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

/** The service started in a JVM of its own, on the embedded H2 default, as a user would run it. */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ServiceProcess start(Path dataDir, Path log) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-cp", classPath,
                "org.ccmledger.CcmLedgerApplication", "--server.port=" + port,
                "--ccm.mongo.embedded.data-dir=" + dataDir, "--spring.main.banner-mode=off"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                                                     .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                                                     .start();
        ServiceProcess service = new ServiceProcess(process, port);
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

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpClient http() {
        return http;
    }

    /** SIGKILL: no shutdown hook, no flush, no close. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: a graceful stop. */
    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            killHard();
        }
    }

    static File logFile(Path dir) {
        return dir.resolve("service.log").toFile();
    }
}
