package org.ccmledger.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.bson.Document;
import org.bson.types.Binary;
import org.ccmledger.ledger.LedgerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PHI fields sealed with a key per subject: AES-256-GCM bound to the subject, keys stored only wrapped by the master
 * key, and crypto-shredding by erasing a subject's key.
 */
class FieldVaultTest {

    private final LedgerFixture store = LedgerFixture.inMemory();
    private final MasterKey master = MasterKey.of(new byte[32]);
    private final FieldVault testSubject = new FieldVault(store.database(), master);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aSealedValueOpensForItsSubjectOnly() {
        Sealed sealed = testSubject.seal("p1/pt-1", "Ana Rivera 1EG4TE5MK73");

        assertThat(testSubject.open("p1/pt-1", sealed)).contains("Ana Rivera 1EG4TE5MK73");
        assertThat(new String(Base64.getDecoder().decode(sealed.ciphertext()), StandardCharsets.ISO_8859_1))
                .doesNotContain("Rivera");
        assertThat(testSubject.seal("p1/pt-1", "Ana Rivera 1EG4TE5MK73")).as("a fresh nonce each time")
                                                                       .isNotEqualTo(sealed);
        testSubject.seal("p1/pt-2", "someone else");
        assertThatThrownBy(() -> testSubject.open("p1/pt-2", new Sealed(
                store.database().getCollection(FieldVault.COLLECTION).find(new Document("_id", "p1/pt-2")).first()
                     .getString("keyId"), sealed.nonce(), sealed.ciphertext())))
                .as("moved to another subject, it does not open").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keysAreStoredOnlyWrappedByTheMasterKey() {
        testSubject.seal("p1/pt-1", "x");
        Document key = store.database().getCollection(FieldVault.COLLECTION).find(new Document("_id", "p1/pt-1"))
                            .first();

        assertThat(key.keySet()).containsExactlyInAnyOrder("_id", "keyId", "wrapped", "masterKeyId", "createdAt");
        assertThat(key.get("wrapped", Binary.class).getData()).hasSize(12 + 32 + 16);
        FieldVault otherMaster = new FieldVault(store.database(), MasterKey.of(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                28, 29, 30, 31, 32}));
        assertThatThrownBy(() -> otherMaster.open("p1/pt-1", testSubject.seal("p1/pt-1", "y")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void erasingTheKeyLeavesTheValueUnreadableForGood() {
        Sealed sealed = testSubject.seal("p1/pt-1", "Ana Rivera");

        assertThat(testSubject.erase("p1/pt-1")).isTrue();
        assertThat(testSubject.open("p1/pt-1", sealed)).isEmpty();
        assertThat(testSubject.readable("p1/pt-1")).isFalse();
        Sealed resealed = testSubject.seal("p1/pt-1", "new");
        assertThat(testSubject.open("p1/pt-1", sealed)).as("a new key opens nothing sealed before").isEmpty();
        assertThat(testSubject.open("p1/pt-1", resealed)).contains("new");
    }

    @Test
    void theMasterKeyFileIsCreatedOwnerOnlyAndReadBack(@TempDir Path dir) throws Exception {
        MasterKey created = MasterKey.load(null, dir);
        Path file = dir.resolve(MasterKey.DEFAULT_FILE_NAME);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(MasterKey.load(null, dir).id()).isEqualTo(created.id());
        assertThatThrownBy(() -> MasterKey.load(dir.resolve("missing"), dir)).isInstanceOf(IllegalStateException.class);
    }
}
