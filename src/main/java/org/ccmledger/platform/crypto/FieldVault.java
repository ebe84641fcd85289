package org.ccmledger.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bson.Document;
import org.bson.types.Binary;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/**
 * Envelope encryption of PHI fields, a key per subject (a patient: {@code <practiceId>/<patientId>}; a practice):
 * each subject's 256-bit AES key is generated on first use and stored in the collection {@code subject_keys}, wrapped
 * (AES-GCM) with the master key ({@link MasterKey}), never in clear and never in the ledger. Values are sealed with
 * AES-256-GCM, a fresh 96-bit nonce each time, the subject and key id as associated data ({@link Sealed}).
 * <p>
 * Crypto-shredding: {@link #erase} removes a subject's key. Every value sealed for it stays in the ledger, its hash
 * unchanged and verifiable, and can never be read again. The key document is the only thing the service ever deletes,
 * and it is not part of the ledger.
 */
public final class FieldVault {

    static final String COLLECTION = "subject_keys";
    private static final String AES = "AES";
    private static final String GCM = "AES/GCM/NoPadding";
    private static final int TAG_BITS = 128;
    private static final int NONCE_BYTES = 12;
    private static final int DUPLICATE_KEY = 11000;

    private final MongoCollection<Document> keys;
    private final MasterKey master;
    private final SecureRandom random = new SecureRandom();

    public FieldVault(MongoDatabase database, MasterKey master) {
        this.keys = database.getCollection(COLLECTION);
        this.master = master;
    }

    /** Seals {@code clear} for {@code subject}, creating the subject's key on first use. */
    public Sealed seal(String subject, String clear) {
        SubjectKey key = key(subject).orElseGet(() -> create(subject));
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(GCM);
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(subject, key.id()));
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            return new Sealed(key.id(), Base64.getEncoder().encodeToString(nonce),
                              Base64.getEncoder().encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every Java runtime", e);
        }
    }

    /**
     * The clear value, or empty when the subject's key was erased (or is another key than the one it was sealed with).
     * A value that does not decrypt under the subject's key (changed in the database) is an {@link IllegalStateException}.
     */
    public Optional<String> open(String subject, Sealed sealed) {
        Optional<SubjectKey> key = key(subject).filter(k -> k.id().equals(sealed.keyId()));
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance(GCM);
            cipher.init(Cipher.DECRYPT_MODE, key.get().key(),
                        new GCMParameterSpec(TAG_BITS, Base64.getDecoder().decode(sealed.nonce())));
            cipher.updateAAD(aad(subject, sealed.keyId()));
            return Optional.of(new String(cipher.doFinal(Base64.getDecoder().decode(sealed.ciphertext())),
                                          StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a sealed value does not open under its subject's key: changed or "
                                            + "moved", e);
        }
    }

    /**
     * A keyed hash of a value (HMAC-SHA256 under a key derived from the master key for {@code purpose}, lower-case
     * hex): equal values give equal hashes, so two records can be matched without either value being stored or shown,
     * and without the master key no one can test a guess against it.
     */
    public String keyedHash(String purpose, String value) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master.derive(purpose), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the subject has a key (its sealed values can be read). */
    public boolean readable(String subject) {
        return keys.find(Filters.eq("_id", subject)).first() != null;
    }

    /** Crypto-shredding: removes the subject's key; returns whether there was one. */
    public boolean erase(String subject) {
        return keys.deleteOne(Filters.eq("_id", subject)).getDeletedCount() > 0;
    }

    private record SubjectKey(String id, SecretKey key) {
    }

    private Optional<SubjectKey> key(String subject) {
        Document d = keys.find(Filters.eq("_id", subject)).first();
        if (d == null) {
            return Optional.empty();
        }
        byte[] raw = master.unwrap(d.get("wrapped", Binary.class).getData(), subject);
        return Optional.of(new SubjectKey(d.getString("keyId"), new SecretKeySpec(raw, AES)));
    }

    private SubjectKey create(String subject) {
        try {
            KeyGenerator generator = KeyGenerator.getInstance(AES);
            generator.init(256, random);
            SecretKey key = generator.generateKey();
            byte[] idBytes = new byte[8];
            random.nextBytes(idBytes);
            String id = HexFormat.of().formatHex(idBytes);
            keys.insertOne(new Document("_id", subject).append("keyId", id)
                                   .append("wrapped", new Binary(master.wrap(key.getEncoded(), subject)))
                                   .append("masterKeyId", master.id()).append("createdAt", Instant.now().toString()));
            return new SubjectKey(id, key);
        } catch (MongoWriteException e) {
            if (e.getError().getCode() == DUPLICATE_KEY) {
                return key(subject).orElseThrow(); // created by a concurrent first use
            }
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is required by every Java runtime", e);
        }
    }

    private static byte[] aad(String subject, String keyId) {
        return ("ccm-ledger/sealed/v1|" + subject + "|" + keyId).getBytes(StandardCharsets.UTF_8);
    }
}
