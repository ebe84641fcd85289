package org.ccmledger.platform.mongo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code embedded-mongo [--data-dir=DIR] [--port=N] [--backend=h2|memory]}: the embedded MongoDB-wire server alone,
 * <b>for development and tests only</b>, so that several service instances can share one database on one machine
 * (docs/operations.md, "Two instances on one machine"). It listens on 127.0.0.1 only, on {@code --port} (default 27117;
 * 0 picks a free one), and admits only connections that name this start's secret, as the in-process server does
 * ({@link ChannelGate}); the connection string with the secret is written owner-only to {@value
 * EmbeddedMongoServer#URI_FILE} in the data directory, for the instances to take as {@code CCM_MONGO_URI}, and removed
 * when the server stops. The data directory is {@code --data-dir}, else {@code CCM_DATA_DIR}, else {@code ./data}; the
 * H2 file and its data key are found there as the service finds them ({@code CCM_DATA_KEY}, {@code
 * CCM_DATA_KEY_FILE}). Runs until stopped (SIGTERM or Ctrl-C: the store is committed and closed). Exit status: 1 the
 * server could not start, 2 bad arguments.
 */
public final class EmbeddedMongoCommand {

    public static final String NAME = "embedded-mongo";
    /** The port when none is given: off MongoDB's own 27017, so a local MongoDB is never mistaken for it. */
    public static final int DEFAULT_PORT = 27117;
    private static final String USAGE = "usage: embedded-mongo [--data-dir=<dir>] [--port=<port>] [--backend=h2|memory]"
                                         + "   (development and tests only)";

    private EmbeddedMongoCommand() {
    }

    /** Parses the arguments and starts the server; returns it, or the exit status when it did not start. */
    static Started start(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                err.println("unknown argument " + arg + "\n" + USAGE);
                return new Started(null, 2);
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        String dir = Optional.ofNullable(options.remove("data-dir"))
                             .orElse(environment.getOrDefault("CCM_DATA_DIR", "./data"));
        String backend = options.remove("backend");
        int port;
        try {
            port = Integer.parseInt(Optional.ofNullable(options.remove("port")).orElse(String.valueOf(DEFAULT_PORT)));
        } catch (NumberFormatException e) {
            err.println("--port must be a number\n" + USAGE);
            return new Started(null, 2);
        }
        if (!options.isEmpty() || port < 0 || port > 65535 || dir.isBlank()
                || backend != null && !backend.equals("h2") && !backend.equals("memory")) {
            err.println((options.isEmpty() ? "bad argument" : "unknown option --" + options.keySet().iterator().next())
                        + "\n" + USAGE);
            return new Started(null, 2);
        }
        MongoProperties.Embedded settings = new MongoProperties.Embedded(
                backend, Path.of(dir), true, environment.get("CCM_DATA_KEY"),
                Optional.ofNullable(environment.get("CCM_DATA_KEY_FILE")).filter(s -> !s.isBlank()).map(Path::of)
                        .orElse(null));
        try {
            EmbeddedMongoServer server = EmbeddedMongoServer.start(settings, port == 0 ? freePort() : port);
            Path uriFile = Path.of(dir).toAbsolutePath().normalize().resolve(EmbeddedMongoServer.URI_FILE);
            out.println("embedded MongoDB for development and tests on 127.0.0.1:" + server.port() + " ("
                        + settings.backend() + "); its connection string is in " + uriFile
                        + " (owner-only): CCM_MONGO_URI=\"$(cat " + uriFile + ")\"");
            return new Started(server, 0);
        } catch (RuntimeException e) {
            err.println(NAME + " failed: " + e.getMessage());
            return new Started(null, 1);
        }
    }

    /** Starts the server and serves until the JVM is stopped; returns only when it could not start. */
    public static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Started started = start(args, environment, out, err);
        if (started.server() == null) {
            return started.status();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.server().close();
            stopped.countDown();
        }, "embedded-mongo-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * A free port, asked for explicitly: with port 0 the server would not keep its connection string for others (the
     * in-process case).
     */
    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                                                                     java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }

    /** The server when it started, else the exit status. */
    record Started(EmbeddedMongoServer server, int status) {
    }
}
