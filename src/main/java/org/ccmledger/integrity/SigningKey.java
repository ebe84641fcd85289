package org.ccmledger.integrity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

import org.ccmledger.ledger.LedgerDigests;
import org.ccmledger.platform.security.KeyFiles;
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
            if (!KeyFiles.createOwnerOnly(file, pem(PRIVATE_LABEL, generated.keys.getPrivate().getEncoded()))) {
                return read(file); // another start wrote it first
            }
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
        try {
            return fromPem(KeyFiles.read(file));
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
        return KeyFiles.pem(label, der);
    }

    private static byte[] der(String pem, String label) {
        return KeyFiles.der(pem, label);
    }
}
