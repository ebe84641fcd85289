package org.ccmledger.integrity;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

import org.ccmledger.ledger.LedgerDigests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 key pair that signs ledger digests, read from a PKCS#8 PEM private key file ({@code openssl genpkey
 * -algorithm ed25519} writes one). The public key is derived from the private key: the JDK generates an Ed25519 key
 * pair from 32 random bytes, so handing it the stored private key's bytes as its "randomness" gives that key's
 * public half; a signature made and checked on load proves the two belong together.
 */
final class SigningKey {

    static final String DEFAULT_FILE_NAME = "ledger-signing-key.pem";
    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final KeyPair keys;
    private final String keyId;

    private SigningKey(KeyPair keys) {
        this.keys = keys;
        this.keyId = LedgerDigests.keyId(keys.getPublic());
    }

    /**
     * The configured key file when there is one (it must exist), otherwise {@value #DEFAULT_FILE_NAME} in the data
     * directory, created owner-only on first use.
     */
    static SigningKey load(Path configuredFile, Path dataDirectory) {
        if (configuredFile != null) {
            if (!Files.isReadable(configuredFile)) {
                throw new IllegalStateException("ccm.integrity.signing-key-file is not a readable file: "
                                                        + configuredFile);
            }
            SigningKey key = read(configuredFile);
            log.info("Ledger digests are signed with key {} from {}", key.keyId, configuredFile);
            return key;
        }
        return inDirectory(dataDirectory);
    }

    /** {@value #DEFAULT_FILE_NAME} in {@code directory}: read when it exists, generated and written otherwise. */
    static SigningKey inDirectory(Path directory) {
        Path file = directory.resolve(DEFAULT_FILE_NAME);
        if (Files.exists(file)) {
            SigningKey key = read(file);
            log.info("Ledger digests are signed with key {} from {}", key.keyId, file);
            return key;
        }
        SigningKey generated = generate();
        try {
            Files.createDirectories(directory);
            Path temporary = ownerOnlyTemporaryFile(directory);
            try {
                write(temporary, pem(PRIVATE_LABEL, generated.keys.getPrivate().getEncoded()));
                Files.move(temporary, file);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (FileAlreadyExistsException raced) {
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ledger signing key to " + file, e);
        }
        log.info("Generated ledger signing key {} in {}", generated.keyId, file);
        return generated;
    }

    static SigningKey generate() {
        try {
            return new SigningKey(KeyPairGenerator.getInstance(LedgerDigests.SIGNATURE_ALGORITHM).generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required by every Java 15+ runtime", e);
        }
    }

    static SigningKey read(Path file) {
        warnIfOthersMayRead(file);
        try {
            return fromPem(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ledger signing key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the ledger signing key " + file + " is not an Ed25519 private key in "
                                                    + "PKCS#8 PEM form (BEGIN PRIVATE KEY)", e);
        }
    }

    /** The key pair of a PKCS#8 PEM Ed25519 private key. */
    static SigningKey fromPem(String pem) {
        try {
            PrivateKey privateKey = KeyFactory.getInstance(LedgerDigests.SIGNATURE_ALGORITHM)
                                              .generatePrivate(new PKCS8EncodedKeySpec(der(pem, PRIVATE_LABEL)));
            SigningKey key = new SigningKey(new KeyPair(publicKeyOf(privateKey), privateKey));
            key.checkPair();
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not an Ed25519 PKCS#8 private key", e);
        }
    }

    private static PublicKey publicKeyOf(PrivateKey privateKey) throws GeneralSecurityException {
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes()
                                                   .orElseThrow(() -> new GeneralSecurityException("no key bytes"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance(LedgerDigests.SIGNATURE_ALGORITHM);
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, bytes.length);
            }
        });
        return generator.generateKeyPair().getPublic();
    }

    private void checkPair() throws GeneralSecurityException {
        byte[] probe = "ccm-ledger/key-check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(LedgerDigests.SIGNATURE_ALGORITHM);
        signer.initSign(keys.getPrivate());
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(LedgerDigests.SIGNATURE_ALGORITHM);
        verifier.initVerify(keys.getPublic());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the derived public key does not verify the private key's signature");
        }
    }

    PrivateKey privateKey() {
        return keys.getPrivate();
    }

    PublicKey publicKey() {
        return keys.getPublic();
    }

    /** SHA-256 (hex) of the public key's X.509 DER form, as {@link LedgerDigests#keyId} defines it. */
    String keyId() {
        return keyId;
    }

    /** The public key as PEM ({@code BEGIN PUBLIC KEY}, X.509 SubjectPublicKeyInfo), what openssl reads. */
    String publicKeyPem() {
        return pem(PUBLIC_LABEL, keys.getPublic().getEncoded());
    }

    /** The private key as PKCS#8 PEM. */
    String privateKeyPem() {
        return pem(PRIVATE_LABEL, keys.getPrivate().getEncoded());
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] der(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + begin + " block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    private static Path ownerOnlyTemporaryFile(Path directory) throws IOException {
        if (posix()) {
            return Files.createTempFile(directory, DEFAULT_FILE_NAME, ".tmp",
                                        PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Path file = Files.createTempFile(directory, DEFAULT_FILE_NAME, ".tmp");
        File plain = file.toFile();
        boolean restricted = plain.setReadable(false, false) & plain.setWritable(false, false)
                & plain.setReadable(true, true) & plain.setWritable(true, true);
        if (!restricted) {
            log.warn("Could not make {} readable by its owner only", file);
        }
        return file;
    }

    private static void write(Path file, String text) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                                                    StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(StandardCharsets.US_ASCII.encode(text));
            channel.force(true);
        }
    }

    private static void warnIfOthersMayRead(Path file) {
        if (!posix()) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("The ledger signing key {} is readable by other users than its owner", file);
            }
        } catch (IOException e) {
            log.warn("Could not read the permissions of {}", file);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
