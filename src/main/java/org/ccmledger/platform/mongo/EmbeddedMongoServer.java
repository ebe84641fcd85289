package org.ccmledger.platform.mongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;

/**
 * The in-process MongoDB-wire server used when no MongoDB URI is configured. It listens on 127.0.0.1 on a free port;
 * the service talks to it through the ordinary driver over TCP, exactly as it would to a real MongoDB. Only the
 * service gets in: a connection must open with a handshake naming this start's secret ({@link ChannelGate}), which
 * only {@link #connectionString()} carries. The backend adds the ledger's atomic append ({@link LedgerCommands}).
 */
public final class EmbeddedMongoServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoServer.class);

    private final MongoServer server;
    private final InetSocketAddress address;
    private final String secret;

    private EmbeddedMongoServer(MongoBackend backend) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.secret = HexFormat.of().formatHex(random);
        this.server = new MongoServer(new ChannelGate(backend, secret));
        server.bind("127.0.0.1", 0);
        this.address = server.getLocalAddress();
        log.info("Embedded MongoDB listening on 127.0.0.1:{}, for this service's connections only",
                 address.getPort());
    }

    /** Starts the server with the backend the properties name. */
    public static EmbeddedMongoServer start(MongoProperties.Embedded settings) {
        if ("memory".equalsIgnoreCase(settings.backend())) {
            log.info("Embedded MongoDB: in-memory backend, nothing is kept after the service stops");
            return new EmbeddedMongoServer(new LedgerMemoryBackend());
        }
        if (!"h2".equalsIgnoreCase(settings.backend())) {
            throw new IllegalStateException("ccm.mongo.embedded.backend must be h2 or memory");
        }
        Path dir = settings.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the embedded data directory " + dir, e);
        }
        Path file = dir.resolve("ccm-ledger.mv");
        log.info("Embedded MongoDB: data in {} (commit before acknowledgement, fsync={})", file,
                 settings.forceToDisk());
        return new EmbeddedMongoServer(DurableH2Backend.open(file.toString(), settings.forceToDisk()));
    }

    /** The address, with the secret that admits the connection as the application name: never log it. */
    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort() + "/?appName=" + secret;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
