package org.ccmledger.platform.mongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.ccmledger.platform.security.KeyFiles;

/**
 * The key that encrypts the embedded store's file (H2 MVStore's AES file encryption): 256 random bits, Base64. Taken
 * from {@code ccm.mongo.embedded.data-key} (env {@code CCM_DATA_KEY}) when set, else from the configured file
 * {@code ccm.mongo.embedded.data-key-file} (env {@code CCM_DATA_KEY_FILE}), which must exist, else from
 * {@value #DEFAULT_FILE_NAME} in the data directory, generated owner-only when a new store file is created. The key
 * is never logged; {@link #id()} (the first 8 bytes of its SHA-256) names it in logs and messages.
 */
public final class DataKey {

    public static final String DEFAULT_FILE_NAME = "data-key";

    private final byte[] raw;
    private final String id;

    private DataKey(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalStateException("the data key is 32 bytes (256 bits), Base64");
        }
        this.raw = raw.clone();
        try {
            this.id = HexFormat.of().formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(raw), 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new random key. */
    public static DataKey generate() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return new DataKey(raw);
    }

    /** The key in its Base64 form (as {@code CCM_DATA_KEY} holds it). */
    public static DataKey fromBase64(String base64) {
        try {
            return new DataKey(Base64.getDecoder().decode(base64.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the data key (CCM_DATA_KEY) is not Base64 of 32 bytes");
        }
    }

    /** The key in {@code file}, which must exist. */
    public static DataKey read(Path file) {
        try {
            return new DataKey(KeyFiles.secretKey(file, false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data key file " + file, e);
        }
    }

    /** The configured key ({@code data-key}, then {@code data-key-file}, then the data directory's file) if any. */
    public static Optional<DataKey> configured(MongoProperties.Embedded settings) {
        if (settings.dataKey() != null && !settings.dataKey().isBlank()) {
            return Optional.of(fromBase64(settings.dataKey()));
        }
        if (settings.dataKeyFile() != null) {
            if (!Files.isReadable(settings.dataKeyFile())) {
                throw new IllegalStateException("ccm.mongo.embedded.data-key-file is not a readable file: "
                                                + settings.dataKeyFile());
            }
            return Optional.of(read(settings.dataKeyFile()));
        }
        Path inDirectory = defaultFile(settings.dataDir());
        return Files.exists(inDirectory) ? Optional.of(read(inDirectory)) : Optional.empty();
    }

    /** The configured key, or a new one written owner-only to the data directory's {@value #DEFAULT_FILE_NAME}. */
    public static DataKey configuredOrCreated(MongoProperties.Embedded settings) {
        return configured(settings).orElseGet(() -> {
            try {
                return new DataKey(KeyFiles.secretKey(defaultFile(settings.dataDir()), true));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the data key to " + settings.dataDir(), e);
            }
        });
    }

    /** {@value #DEFAULT_FILE_NAME} in {@code dataDirectory}. */
    public static Path defaultFile(Path dataDirectory) {
        return dataDirectory.toAbsolutePath().normalize().resolve(DEFAULT_FILE_NAME);
    }

    /** Writes the key owner-only to {@code file}, which must not exist yet. */
    public void writeTo(Path file) {
        try {
            if (!KeyFiles.createOwnerOnly(file, Base64.getEncoder().encodeToString(raw) + "\n")) {
                throw new IllegalStateException("the key file " + file + " exists already");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the data key to " + file, e);
        }
    }

    /** The first 8 bytes of the key's SHA-256, hex: which key a file is encrypted with, safe to log. */
    public String id() {
        return id;
    }

    /** The password MVStore derives its file key from: a fresh copy, which H2 may clear after use. */
    char[] password() {
        return new String(Base64.getEncoder().encode(raw), StandardCharsets.US_ASCII).toCharArray();
    }

    @Override
    public String toString() {
        return "DataKey[" + id + "]";
    }
}
