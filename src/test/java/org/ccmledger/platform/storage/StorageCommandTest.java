package org.ccmledger.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.ccmledger.platform.mongo.EmbeddedMongoServer;
import org.ccmledger.platform.mongo.MongoProperties;
import org.ccmledger.platform.mongo.StoreFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/** The storage commands' arguments and refusals, and the backup of a stopped service's file. */
class StorageCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aRealMongoDbIsBackedUpWithMongodump() {
        assertThat(run("backup", Map.of("CCM_MONGO_URI", "mongodb://db:27017"), "--to=" + dir.resolve("b.mv")))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mongodump --oplog");
    }

    @Test
    void unknownOptionsAndMissingTargetsAreRefusedWithTheUsage() {
        assertThat(run("backup", Map.of(), "--data-dir=" + dir)).isEqualTo(2);
        assertThat(run("restore", Map.of(), "--data-dir=" + dir, "--verfy")).isEqualTo(2);
        assertThat(run("data-key", Map.of(), "spin", "--data-dir=" + dir)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: backup");
    }

    @Test
    void theFileOfAStoppedServiceIsCopiedAsItIsAndNothingRunsWhileTheServiceHasItOpen() throws Exception {
        MongoProperties.Embedded settings = new MongoProperties.Embedded("h2", dir, false, null, null);
        try (EmbeddedMongoServer server = EmbeddedMongoServer.start(settings)) {
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                client.getDatabase("ccm_ledger").getCollection("events").insertOne(new Document("_id", 1L));
            }
            assertThat(run("data-key", Map.of(), "rotate", "--data-dir=" + dir)).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("stop it first");
        }
        Path backup = dir.resolve("offline.mv");

        assertThat(run("backup", Map.of(), "--data-dir=" + dir, "--to=" + backup)).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("from the stopped service's file");
        assertThat(Files.readAllBytes(backup)).isEqualTo(Files.readAllBytes(StoreFile.in(dir)));
        assertThat(run("backup", Map.of(), "--data-dir=" + dir, "--to=" + backup)).as("never overwrites").isEqualTo(2);
    }

    private int run(String command, Map<String, String> environment, String... args) {
        return StorageCommand.run(command, List.of(args), environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                                  new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
