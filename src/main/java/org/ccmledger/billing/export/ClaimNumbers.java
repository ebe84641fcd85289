package org.ccmledger.billing.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Patient control numbers (CLM01, at most 20 characters in the 837P): {@code C} and 16 characters of the Base32
 * alphabet from the SHA-256 of the claim version's id, so an original and each of its replacements get their own, the
 * same on every export, and two versions share one with a chance of about 2^-80.
 */
final class ClaimNumbers {

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final int CHARACTERS = 16;

    private ClaimNumbers() {
    }

    static String controlNumber(String claimId) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(claimId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder number = new StringBuilder("C");
        int buffer = 0;
        int bits = 0;
        int index = 0;
        while (number.length() <= CHARACTERS) {
            if (bits < 5) {
                buffer = (buffer << 8) | (hash[index++] & 0xff);
                bits += 8;
            }
            number.append(BASE32[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
        return number.toString();
    }
}
