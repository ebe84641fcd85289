package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/**
 * {@code embedded-mongo}: the embedded server alone, on a port of the loopback interface, its connection string
 * (with this start's secret) owner-only in the data directory for the instances that share it, and gone at stop.
 */
class EmbeddedMongoCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private EmbeddedMongoCommand.Started start(List<String> args, Map<String, String> environment) {
        return EmbeddedMongoCommand.start(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                                          new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void twoClientsWithTheSecretShareOneDatabaseAndOthersAreRefused(@TempDir Path dir) throws Exception {
        EmbeddedMongoCommand.Started started = start(List.of("--port=0", "--backend=memory"),
                                                     Map.of("CCM_DATA_DIR", dir.toString()));
        assertThat(started.status()).isZero();
        Path uriFile = dir.resolve(EmbeddedMongoServer.URI_FILE);
        try (EmbeddedMongoServer server = started.server()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(uriFile))).isEqualTo("rw-------");
            String uri = Files.readString(uriFile).strip();
            assertThat(uri).startsWith("mongodb://127.0.0.1:" + server.port() + "/?appName=");
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("development and tests")
                                                            .doesNotContain(uri.substring(uri.indexOf('=') + 1));
            try (MongoClient one = MongoClients.create(uri); MongoClient two = MongoClients.create(uri);
                 MongoClient stranger = MongoClients.create("mongodb://127.0.0.1:" + server.port())) {
                one.getDatabase("ccm_ledger").getCollection("events").insertOne(new Document("_id", 1L));
                assertThat(two.getDatabase("ccm_ledger").getCollection("events").countDocuments()).isEqualTo(1);
                assertThatThrownBy(() -> stranger.getDatabase("ccm_ledger").getCollection("events").find().first())
                        .hasMessageContaining("Unauthorized");
            }
        }
        assertThat(uriFile).as("removed at stop").doesNotExist();
    }

    @Test
    void badArgumentsStartNothing(@TempDir Path dir) {
        assertThat(start(List.of("--port=x"), Map.of("CCM_DATA_DIR", dir.toString())).status()).isEqualTo(2);
        assertThat(start(List.of("--backend=disk"), Map.of("CCM_DATA_DIR", dir.toString())).status()).isEqualTo(2);
        assertThat(start(List.of("--host=0.0.0.0"), Map.of("CCM_DATA_DIR", dir.toString())).status()).isEqualTo(2);
        assertThat(start(List.of("serve"), Map.of("CCM_DATA_DIR", dir.toString())).status()).isEqualTo(2);
        assertThat(dir.resolve(EmbeddedMongoServer.URI_FILE)).doesNotExist();
    }
}
