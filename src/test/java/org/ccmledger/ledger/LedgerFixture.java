package org.ccmledger.ledger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.ccmledger.platform.mongo.EmbeddedMongoServer;
import org.ccmledger.platform.mongo.MongoProperties;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

/**
 * An embedded MongoDB-wire server, a driver connected to it over TCP, and the ledger's collections: the store
 * exactly as the service uses it, without Spring. Close it after use.
 */
public final class LedgerFixture implements AutoCloseable {

    public static final Serializer SERIALIZER = JacksonSerializer.builder()
            .objectMapper(new ObjectMapper().registerModule(new JavaTimeModule())
                                            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS))
            .build();

    private final EmbeddedMongoServer server;
    private final MongoClient client;
    private final MongoDatabase database;
    private final LedgerCollections collections;

    private LedgerFixture(MongoProperties.Embedded settings) {
        this.server = EmbeddedMongoServer.start(settings);
        this.client = MongoClients.create(server.connectionString());
        this.database = client.getDatabase("ccm_ledger");
        this.collections = new LedgerCollections(database);
    }

    /** A store on the in-memory backend. */
    public static LedgerFixture inMemory() {
        return new LedgerFixture(new MongoProperties.Embedded("memory", null, false, null, null));
    }

    /** A store on the durable H2 file backend in {@code dataDir}. */
    public static LedgerFixture onH2(Path dataDir) {
        return onH2(dataDir, true);
    }

    /**
     * A store on the H2 file backend in {@code dataDir}, each write committed before it is acknowledged, and forced
     * to disk only with {@code forceToDisk} (without it a process crash loses nothing, a power loss may: enough to fill
     * a store fast for a test).
     */
    public static LedgerFixture onH2(Path dataDir, boolean forceToDisk) {
        return new LedgerFixture(new MongoProperties.Embedded("h2", dataDir, forceToDisk, null, null));
    }

    public MongoEventStorageEngineBuilder engineBuilder() {
        return MongoEventStorageEngine.builder()
                                      .collections(collections)
                                      .eventSerializer(SERIALIZER)
                                      .snapshotSerializer(SERIALIZER);
    }

    public MongoEventStorageEngine engine() {
        return engineBuilder().build();
    }

    public MongoEventStorageEngine engine(Clock clock, Duration gapTimeout, Duration commitDeadline) {
        return engineBuilder().clock(clock).gapTimeout(gapTimeout).commitDeadline(commitDeadline).build();
    }

    public MongoTokenStore tokenStore(String nodeId) {
        return MongoTokenStore.builder().database(database).serializer(SERIALIZER).nodeId(nodeId).build();
    }

    /** The embedded server's address, for another client of the same store. */
    public String connectionString() {
        return server.connectionString();
    }

    public MongoClient client() {
        return client;
    }

    public MongoDatabase database() {
        return database;
    }

    public LedgerCollections collections() {
        return collections;
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
