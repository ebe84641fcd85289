package org.ccmledger.platform.mongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.ccmledger.platform.security.KeyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;

/**
 * The in-process MongoDB-wire server used when no MongoDB URI is configured. It listens on 127.0.0.1 on a free port;
 * the service talks to it through the ordinary driver over TCP, exactly as it would to a real MongoDB. Only the
 * service gets in: a connection must open with a handshake naming this start's secret ({@link ChannelGate}), which
 * only {@link #connectionString()} carries. The backend adds the ledger's atomic append ({@link LedgerCommands}).
 * <p>
 * The same server also runs alone, for development and tests only ({@link EmbeddedMongoCommand}): several service
 * instances then reach it through {@code CCM_MONGO_URI}, set to the connection string it leaves owner-only in its
 * data directory ({@value #URI_FILE}).
 */
public final class EmbeddedMongoServer implements AutoCloseable {

    /** The file in the data directory holding this start's connection string (owner-only, removed at stop). */
    public static final String URI_FILE = "embedded-mongo.uri";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoServer.class);

    /**
     * The server's I/O threads. The server answers each connection's commands on the thread that serves the
     * connection, and a write waits there for its commit and fsync ({@link DurableH2Backend}); with Netty's default of
     * two threads per core, every connection served by the same thread (a read, a counter reservation) waited behind
     * that fsync. With a thread per connection up to this many (Netty hands connections to its threads in turn, and
     * starts a thread only when a connection first needs it), a command waits only for its own commit.
     */
    static final int SERVER_THREADS = 64;

    private final MongoServer server;
    private final InetSocketAddress address;
    private final String secret;
    private final MongoBackend backend;
    private Path uriFile;

    private EmbeddedMongoServer(MongoBackend backend, int port) {
        this.backend = backend;
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.secret = HexFormat.of().formatHex(random);
        this.server = new MongoServer(new ChannelGate(backend, secret));
        server.bind(new InetSocketAddress("127.0.0.1", port), 1, SERVER_THREADS);
        this.address = server.getLocalAddress();
        log.info("Embedded MongoDB listening on 127.0.0.1:{}, for connections that name this start's secret only",
                 address.getPort());
    }

    /** Starts the server with the backend the properties name, on a free port of the loopback interface. */
    public static EmbeddedMongoServer start(MongoProperties.Embedded settings) {
        return start(settings, 0);
    }

    /**
     * Starts the server with the backend the properties name, on {@code port} of the loopback interface (0: a free
     * one). With the {@code memory} backend the connection string is kept in the data directory only when
     * {@code port} is given (the standalone server of {@code embedded-mongo}).
     */
    public static EmbeddedMongoServer start(MongoProperties.Embedded settings, int port) {
        if ("memory".equalsIgnoreCase(settings.backend())) {
            log.info("Embedded MongoDB: in-memory backend, nothing is kept after the server stops");
            EmbeddedMongoServer server = new EmbeddedMongoServer(new LedgerMemoryBackend(), port);
            if (port != 0) {
                server.writeUriFile(dataDirectory(settings).resolve(URI_FILE));
            }
            return server;
        }
        if (!"h2".equalsIgnoreCase(settings.backend())) {
            throw new IllegalStateException("ccm.mongo.embedded.backend must be h2 or memory");
        }
        Path dir = dataDirectory(settings);
        Path file = StoreFile.in(dir);
        DataKey key = switch (StoreFile.state(file)) {
            case MISSING -> DataKey.configuredOrCreated(settings);
            case ENCRYPTED -> DataKey.configured(settings).orElseThrow(() -> new IllegalStateException(
                    "the embedded data file " + file + " is encrypted and no data key is given: set CCM_DATA_KEY or "
                    + "CCM_DATA_KEY_FILE, or put the key back as " + DataKey.defaultFile(dir)));
            case PLAIN -> null;
        };
        if (key == null) {
            log.warn("Embedded MongoDB: the data file {} is NOT encrypted; patient data in it is readable by whoever "
                     + "reads the file. Stop the service and run the jar's 'data-key migrate' (docs/operations.md)",
                     file);
        }
        log.info("Embedded MongoDB: data in {} ({}, commit before acknowledgement, fsync={}, page cache {} MB)", file,
                 key == null ? "plain" : "encrypted with data key " + key.id(), settings.forceToDisk(),
                 settings.cacheSizeMb());
        EmbeddedMongoServer server = new EmbeddedMongoServer(DurableH2Backend.open(file, settings.forceToDisk(),
                                                                                   key, settings.cacheSizeMb()),
                                                             port);
        server.writeUriFile(dir.resolve(URI_FILE));
        return server;
    }

    private static Path dataDirectory(MongoProperties.Embedded settings) {
        Path dir = settings.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the embedded data directory " + dir, e);
        }
        return dir;
    }

    /** The H2 store's counts of queries answered by reading a whole collection; {@code null} in memory. */
    StoreScans scans() {
        return backend instanceof DurableH2Backend durable ? durable.scans() : null;
    }

    /** The H2 store itself (its commit counts); {@code null} in memory. */
    DurableH2Backend durableBackend() {
        return backend instanceof DurableH2Backend durable ? durable : null;
    }

    /** The port the server listens on (of 127.0.0.1). */
    public int port() {
        return address.getPort();
    }

    /**
     * Leaves this start's connection string, secret included, owner-only in the data directory, for an operator on the
     * host (who can read the data file anyway) to export the ledger with MongoDB's own tools while the service runs.
     */
    private void writeUriFile(Path file) {
        try {
            Files.deleteIfExists(file);
            KeyFiles.createOwnerOnly(file, connectionString() + "\n");
            this.uriFile = file;
        } catch (IOException e) {
            log.warn("Could not write {}: {}", file.getFileName(), e.getClass().getSimpleName());
        }
    }

    /** The address, with the secret that admits the connection as the application name: never log it. */
    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort() + "/?appName=" + secret;
    }

    @Override
    public void close() {
        server.shutdownNow();
        if (uriFile != null) {
            try {
                Files.deleteIfExists(uriFile);
            } catch (IOException e) {
                log.warn("Could not remove {}", uriFile.getFileName());
            }
        }
    }
}
