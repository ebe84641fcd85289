package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/**
 * HIPAA 164.312(a)(2)(iv), encryption at rest on the embedded default: a new store file is encrypted with the data
 * key (created owner-only beside it), a plain file keeps working but is never encrypted silently, a wrong or missing
 * key stops the start with a message naming no content.
 */
class EncryptedStoreFileTest {

    private static final String DIAGNOSIS = "Quillayute heron nephropathy";
    private static final String NOTE = "spoke about the blue kayak at Lake Ozette";

    @TempDir
    Path dir;

    @Test
    void aNewStoreFileIsEncryptedAndHoldsNoPlainText() throws Exception {
        write(settings(null), "d1");

        Path file = StoreFile.in(dir);
        assertThat(StoreFile.state(file)).isEqualTo(StoreFile.State.ENCRYPTED);
        assertThat(text(file)).doesNotContain(DIAGNOSIS).doesNotContain(NOTE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DataKey.defaultFile(dir))))
                .isEqualTo("rw-------");
        assertThat(read(settings(null), "d1")).containsEntry("diagnosis", DIAGNOSIS);
    }

    @Test
    void aPlainFileIsOpenedAsItIsAndShowsItsContent() throws Exception {
        DurableH2Backend.open(StoreFile.in(dir), false, null).close();

        write(settings(null), "d1");

        assertThat(StoreFile.state(StoreFile.in(dir))).isEqualTo(StoreFile.State.PLAIN);
        assertThat(text(StoreFile.in(dir))).contains(DIAGNOSIS).contains(NOTE);
        assertThat(DataKey.defaultFile(dir)).doesNotExist();
    }

    @Test
    void theKeyFromTheEnvironmentWinsAndAnotherKeyDoesNotOpenTheFile() throws Exception {
        String base64 = randomKey();
        write(settings(base64), "d1");
        assertThat(DataKey.defaultFile(dir)).doesNotExist();

        String otherBase64 = randomKey();
        DataKey other = DataKey.fromBase64(otherBase64);
        assertThatThrownBy(() -> EmbeddedMongoServer.start(settings(otherBase64)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not open with data key " + other.id())
                .hasMessageNotContaining(DIAGNOSIS).hasMessageNotContaining(base64).hasMessageNotContaining(otherBase64);
        assertThatThrownBy(() -> EmbeddedMongoServer.start(settings(null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is encrypted and no data key is given");
        assertThat(read(settings(base64), "d1")).containsEntry("note", NOTE);
    }

    @Test
    void aCopyUnderANewKeyHoldsEveryDocumentAndOpensOnlyWithTheNewKey() throws Exception {
        DurableH2Backend.open(StoreFile.in(dir), false, null).close();
        write(settings(null), "d1");
        DataKey key = DataKey.generate();
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);

        StoreFile.copy(StoreFile.in(dir), null, StoreFile.in(copy), key);

        assertThat(StoreFile.state(StoreFile.in(copy))).isEqualTo(StoreFile.State.ENCRYPTED);
        assertThat(text(StoreFile.in(copy))).doesNotContain(DIAGNOSIS).doesNotContain(NOTE);
        key.writeTo(DataKey.defaultFile(copy));
        assertThat(read(new MongoProperties.Embedded("h2", copy, false, null, null), "d1")).containsEntry("note", NOTE);
    }

    private MongoProperties.Embedded settings(String key) {
        return new MongoProperties.Embedded("h2", dir, false, key, null);
    }

    private static void write(MongoProperties.Embedded settings, String id) {
        try (EmbeddedMongoServer server = EmbeddedMongoServer.start(settings);
             MongoClient client = MongoClients.create(server.connectionString())) {
            client.getDatabase("ccm_ledger").getCollection("events")
                  .insertOne(new Document("_id", id).append("diagnosis", DIAGNOSIS).append("note", NOTE));
        }
    }

    private static Document read(MongoProperties.Embedded settings, String id) {
        try (EmbeddedMongoServer server = EmbeddedMongoServer.start(settings);
             MongoClient client = MongoClients.create(server.connectionString())) {
            return client.getDatabase("ccm_ledger").getCollection("events").find(new Document("_id", id)).first();
        }
    }

    private static String text(Path file) throws Exception {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    private static String randomKey() {
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        return java.util.Base64.getEncoder().encodeToString(raw);
    }
}
