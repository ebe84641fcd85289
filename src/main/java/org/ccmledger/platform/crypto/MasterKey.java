package org.ccmledger.platform.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.ccmledger.platform.security.KeyFiles;

/**
 * The key that wraps every subject's key ({@link FieldVault}): 256 random bits, Base64 in a file. The configured file
 * ({@code ccm.crypto.master-key-file}, env {@code CCM_MASTER_KEY_FILE}) when set, which must exist; otherwise
 * {@value #DEFAULT_FILE_NAME} in the data directory, generated owner-only on first start. Keep it apart from the
 * database in production: whoever holds both reads every patient's identity.
 */
public final class MasterKey {

    public static final String DEFAULT_FILE_NAME = "master-key";
    private static final String GCM = "AES/GCM/NoPadding";

    private final SecretKeySpec key;
    private final String id;

    private MasterKey(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalStateException("the master key is 32 bytes (256 bits), Base64 in its file");
        }
        this.key = new SecretKeySpec(raw, "AES");
        try {
            this.id = HexFormat.of().formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(raw), 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configured file when given (it must be readable), else the data directory's, created on first use. */
    public static MasterKey load(Path configuredFile, Path dataDirectory) {
        Path file = configuredFile != null ? configuredFile : dataDirectory.resolve(DEFAULT_FILE_NAME);
        if (configuredFile != null && !Files.isReadable(file)) {
            throw new IllegalStateException("ccm.crypto.master-key-file is not a readable file: " + file);
        }
        try {
            return new MasterKey(KeyFiles.secretKey(file, configuredFile == null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key " + file, e);
        }
    }

    /** A key for tests. */
    public static MasterKey of(byte[] raw) {
        return new MasterKey(raw.clone());
    }

    /** The first 8 bytes of the key's SHA-256, hex: which master key wrapped a subject's key. */
    public String id() {
        return id;
    }

    /**
     * A key of its own for one purpose, derived from the master key (HMAC-SHA256 of the purpose under it): the same
     * on every node with the same master key, and telling nothing about the master key.
     */
    byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(("ccm-ledger/derived-key/" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] wrap(byte[] subjectKey, String subject) {
        try {
            byte[] nonce = new byte[12];
            new SecureRandom().nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(GCM);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(subject.getBytes(StandardCharsets.UTF_8));
            byte[] wrapped = cipher.doFinal(subjectKey);
            byte[] out = new byte[12 + wrapped.length];
            System.arraycopy(nonce, 0, out, 0, 12);
            System.arraycopy(wrapped, 0, out, 12, wrapped.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] unwrap(byte[] wrapped, String subject) {
        try {
            Cipher cipher = Cipher.getInstance(GCM);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, wrapped, 0, 12));
            cipher.updateAAD(subject.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(wrapped, 12, wrapped.length - 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a subject key does not unwrap under the master key: another master key, "
                                            + "or changed", e);
        }
    }
}
