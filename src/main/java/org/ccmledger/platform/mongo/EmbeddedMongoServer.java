package org.ccmledger.platform.mongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The in-process MongoDB-wire server used when no MongoDB URI is configured. It listens on 127.0.0.1 on a free port;
 * the service talks to it through the ordinary driver over TCP, exactly as it would to a real MongoDB.
 */
public final class EmbeddedMongoServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoServer.class);

    private final MongoServer server;
    private final InetSocketAddress address;

    private EmbeddedMongoServer(MongoBackend backend) {
        this.server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        this.address = server.getLocalAddress();
        log.info("Embedded MongoDB listening on {}", connectionString());
    }

    /** Starts the server with the backend the properties name. */
    public static EmbeddedMongoServer start(MongoProperties.Embedded settings) {
        if ("memory".equalsIgnoreCase(settings.backend())) {
            log.info("Embedded MongoDB: in-memory backend, nothing is kept after the service stops");
            return new EmbeddedMongoServer(new MemoryBackend());
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

    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
