package org.ccmledger.platform.crypto;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A value encrypted for one subject (a patient, a practice) with that subject's own key: AES-256-GCM, the subject and
 * the key's id bound in as associated data, so a sealed value cannot be moved to another subject. What goes into the
 * ledger instead of the clear value; erasing the subject's key leaves it unreadable, the ledger's hashes untouched.
 *
 * @param keyId      the id of the subject's key it was sealed with
 * @param nonce      the 12-byte GCM nonce, Base64
 * @param ciphertext the ciphertext with its 16-byte tag, Base64
 */
public record Sealed(String keyId, String nonce, String ciphertext) {

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");

    public Sealed {
        Objects.requireNonNull(keyId, "keyId");
        if (nonce == null || ciphertext == null || !BASE64.matcher(nonce).matches()
            || !BASE64.matcher(ciphertext).matches()) {
            throw new IllegalArgumentException("a sealed value has a Base64 nonce and ciphertext");
        }
    }
}
