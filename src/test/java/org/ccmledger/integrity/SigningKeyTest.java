package org.ccmledger.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the digest signing key comes from, and that it stays the same key across restarts. */
class SigningKeyTest {

    /** RFC 8410 §10.3's example private key and §10.1's public key: one Ed25519 key pair. */
    private static final String RFC_8410_PRIVATE = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
            -----END PRIVATE KEY-----
            """;
    private static final String RFC_8410_PUBLIC = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
            -----END PUBLIC KEY-----
            """;

    @TempDir
    Path dir;

    @Test
    @DisplayName("Without a configured key the first start generates one in the data directory, owner-only")
    void theFirstStartGeneratesAnOwnerOnlyKey() throws Exception {
        SigningKey testSubject = SigningKey.load(null, dir.resolve("data"));

        Path file = dir.resolve("data").resolve("ledger-signing-key.pem");
        assertThat(file).exists();
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(testSubject.keyId()).hasSize(64);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (var leftovers = Files.list(dir.resolve("data"))) {
            assertThat(leftovers).as("no temporary file is left behind").hasSize(1);
        }
    }

    @Test
    @DisplayName("Later starts reuse the generated key: digests keep verifying across restarts")
    void laterStartsReuseTheKey() {
        SigningKey first = SigningKey.load(null, dir);
        SigningKey second = SigningKey.load(null, dir);

        assertThat(second.keyId()).isEqualTo(first.keyId());
        assertThat(second.publicKeyPem()).isEqualTo(first.publicKeyPem());
    }

    @Test
    @DisplayName("A configured PKCS#8 key (as openssl genpkey writes it) is used, its public half derived exactly")
    void aConfiguredKeyIsUsedAndItsPublicKeyDerived() throws Exception {
        Path file = Files.writeString(dir.resolve("key.pem"), RFC_8410_PRIVATE);

        SigningKey testSubject = SigningKey.load(file, dir.resolve("unused"));

        assertThat(testSubject.publicKeyPem()).isEqualTo(RFC_8410_PUBLIC);
        assertThat(testSubject.privateKeyPem()).isEqualTo(RFC_8410_PRIVATE);
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    @Test
    @DisplayName("A configured key file that is missing or not an Ed25519 private key stops the start")
    void aMissingOrWrongKeyFileIsRefused() throws Exception {
        Path ec = Files.writeString(dir.resolve("ec.pem"), SigningKey.pem(
                "PRIVATE KEY", KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded()));
        Path text = Files.writeString(dir.resolve("text.pem"), "not a key");

        assertThatThrownBy(() -> SigningKey.load(dir.resolve("missing.pem"), dir))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("signing-key-file");
        assertThatThrownBy(() -> SigningKey.load(ec, dir))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not an Ed25519 private key");
        assertThatThrownBy(() -> SigningKey.load(text, dir))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not an Ed25519 private key");
    }

    @Test
    @DisplayName("A key file others may read still loads (with a warning): refusing would stop the service")
    void aKeyReadableByOthersStillLoads() throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = Files.writeString(dir.resolve("key.pem"), RFC_8410_PRIVATE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(SigningKey.load(file, dir).publicKeyPem()).isEqualTo(RFC_8410_PUBLIC);
    }
}
