package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoQueryException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

/**
 * The embedded server serves the service only (a client must name the secret of this start in its handshake), and
 * its {@code ccmAppend} is all or nothing: a batch with one colliding event stores none of them.
 */
class EmbeddedServerTest {

    private EmbeddedMongoServer server;
    private MongoClient service;
    private MongoDatabase database;

    @BeforeEach
    void start() {
        server = EmbeddedMongoServer.start(new MongoProperties.Embedded("memory", null, false, null, null));
        service = MongoClients.create(server.connectionString());
        database = service.getDatabase("ccm_ledger");
        database.getCollection("events").insertOne(new Document("_id", 1L).append("streamKey", "a:x#0"));
    }

    @AfterEach
    void stop() {
        service.close();
        server.close();
    }

    @Test
    void aClientWithoutThisStartsSecretMayNotReadOrWrite() {
        String address = server.connectionString().substring(0, server.connectionString().indexOf("/?"));
        try (MongoClient stranger = MongoClients.create(address);
             MongoClient guesser = MongoClients.create(address + "/?appName=ccm-ledger")) {
            for (MongoClient client : List.of(stranger, guesser)) {
                MongoDatabase db = client.getDatabase("ccm_ledger");
                assertThatThrownBy(() -> db.getCollection("events").find().first())
                        .isInstanceOfSatisfying(MongoQueryException.class,
                                                e -> assertThat(e.getErrorCode()).isEqualTo(13));
                assertThatThrownBy(() -> db.getCollection("events").insertOne(new Document("_id", 99L)))
                        .hasMessageContaining("Unauthorized");
            }
        }
        assertThat(database.getCollection("events").countDocuments()).isEqualTo(1);
        assertThat(server.connectionString()).contains("appName=");
    }

    @Test
    void anAppendWithACollidingEventStoresNothingAndNamesIt() {
        Document reply = database.runCommand(new Document("ccmAppend", "events")
                .append("documents", List.of(new Document("_id", 2L).append("streamKey", "a:y#0"),
                                             new Document("_id", 3L).append("streamKey", "a:x#0")))
                .append("heads", "stream_heads").append("updates", List.of()));

        assertThat(reply.getList("writeErrors", Document.class)).singleElement().satisfies(error -> {
            assertThat(error.getInteger("index")).isEqualTo(1);
            assertThat(error.getInteger("code")).isEqualTo(11000);
            assertThat(error.getString("errmsg")).contains("streamKey");
        });
        assertThat(database.getCollection("events").countDocuments()).isEqualTo(1);
    }

    @Test
    void anAppendStoresItsEventsAndMovesTheirHeadsForward() {
        Document head = new Document("q", new Document("_id", "y").append("sequence", new Document("$lt", 0L)))
                .append("u", new Document("$set", new Document("sequence", 0L).append("hash", "h")
                        .append("globalIndex", 2L)))
                .append("upsert", true);
        database.runCommand(new Document("ccmAppend", "events")
                .append("documents", List.of(new Document("_id", 2L).append("streamKey", "a:y#0")))
                .append("heads", "stream_heads").append("updates", List.of(head)));

        assertThat(database.getCollection("events").countDocuments()).isEqualTo(2);
        assertThat(database.getCollection("stream_heads").find().first())
                .containsEntry("_id", "y").containsEntry("sequence", 0L).containsEntry("globalIndex", 2L);
    }

    @Test
    void aHeadAlreadyFurtherOnIsNeverMovedBack() {
        database.getCollection("stream_heads").insertOne(new Document("_id", "y").append("sequence", 5L)
                                                                 .append("hash", "h5").append("globalIndex", 9L));
        Document older = new Document("q", new Document("_id", "y").append("sequence", new Document("$lt", 3L)))
                .append("u", new Document("$set", new Document("sequence", 3L).append("hash", "h3")
                        .append("globalIndex", 2L)))
                .append("upsert", true);
        Document newer = new Document("q", new Document("_id", "z").append("sequence", new Document("$lt", 0L)))
                .append("u", new Document("$set", new Document("sequence", 0L).append("hash", "z0")
                        .append("globalIndex", 2L)))
                .append("upsert", true);
        database.runCommand(new Document("ccmAppend", "events")
                .append("documents", List.of(new Document("_id", 2L).append("streamKey", "a:y#3")))
                .append("heads", "stream_heads").append("updates", List.of(older, newer)));

        assertThat(database.getCollection("stream_heads").find(new Document("_id", "y")).first())
                .containsEntry("sequence", 5L).containsEntry("hash", "h5");
        assertThat(database.getCollection("stream_heads").find(new Document("_id", "z")).first())
                .containsEntry("sequence", 0L).containsEntry("hash", "z0");
    }

    @Test
    void anOperatorOnTheHostFindsTheConnectionStringOwnerOnlyInTheDataDirectory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(EmbeddedMongoServer.URI_FILE);
        try (EmbeddedMongoServer h2 = EmbeddedMongoServer.start(new MongoProperties.Embedded("h2", dir, false, null, null))) {
            assertThat(Files.readString(file).trim()).isEqualTo(h2.connectionString());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            try (MongoClient operator = MongoClients.create(Files.readString(file).trim())) {
                operator.getDatabase("ccm_ledger").getCollection("probe").insertOne(new Document("_id", "p"));
                assertThat(operator.getDatabase("ccm_ledger").getCollection("probe").countDocuments()).isEqualTo(1);
            }
        }
        assertThat(file).doesNotExist();
    }

    /** The store asks for {@code ccmAppend} and falls back to plain writes on this answer, a real MongoDB's. */
    @Test
    void aCommandTheServerDoesNotKnowIsCommandNotFound() {
        assertThatThrownBy(() -> database.runCommand(new Document("ccmUnknown", 1)))
                .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(59));
    }
}
