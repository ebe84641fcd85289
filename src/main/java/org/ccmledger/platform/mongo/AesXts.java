package org.ccmledger.platform.mongo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128 in XTS mode over sectors of {@value #SECTOR} bytes, exactly as H2 encrypts its files (IEEE P1619: the
 * tweak is the sector number, little-endian, encrypted with the same key; each 16-byte block is
 * {@code E(P xor T) xor T}; the tweak is multiplied by x in GF(2^128), feedback {@code 0x87}, from block to block),
 * but with the JDK's AES, which runs on the processor's AES instructions: H2's own AES is written in Java and was
 * 10-16 % of the embedded store's CPU (docs/performance.md). A sector is whitened with its tweaks, ciphered in one
 * ECB call and whitened again. Safe for concurrent use: each thread has its own ciphers.
 */
final class AesXts {

    /** The sector: H2's encrypted-file block. */
    static final int SECTOR = 4096;
    private static final int BLOCK = 16;
    private static final int BLOCKS = SECTOR / BLOCK;
    private static final long GF_128_FEEDBACK = 0x87;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
                                                                                 ByteOrder.LITTLE_ENDIAN);

    private final SecretKeySpec key;
    private final ThreadLocal<Ciphers> ciphers;

    /** @param key the 16-byte AES key (as H2 derives it from the file's password and salt) */
    AesXts(byte[] key) {
        if (key.length != BLOCK) {
            throw new IllegalArgumentException("an AES-128 key has 16 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.ciphers = ThreadLocal.withInitial(() -> new Ciphers(this.key));
    }

    /** Encrypts the sector {@code sector} held in {@code data[offset, offset + SECTOR)} in place. */
    void encrypt(long sector, byte[] data, int offset) {
        cipher(sector, data, offset, true);
    }

    /** Decrypts the sector {@code sector} held in {@code data[offset, offset + SECTOR)} in place. */
    void decrypt(long sector, byte[] data, int offset) {
        cipher(sector, data, offset, false);
    }

    private void cipher(long sector, byte[] data, int offset, boolean encrypting) {
        Ciphers own = ciphers.get();
        long[] tweaks = own.tweaks(sector);
        // whitened into the thread's own buffer and ciphered back into place: the JDK copies its input first when
        // a cipher's input and output are the same bytes (a sector's allocation at every read and write)
        whiten(data, offset, own.whitened, 0, tweaks);
        own.run(encrypting ? own.encrypt : own.decrypt, own.whitened, data, offset, SECTOR);
        whiten(data, offset, data, offset, tweaks);
    }

    /** {@code to[at...] = from[offset...] xor tweaks}, a sector long. */
    private static void whiten(byte[] from, int offset, byte[] to, int at, long[] tweaks) {
        for (int i = 0; i < tweaks.length; i++) {
            int shift = i * Long.BYTES;
            LONGS.set(to, at + shift, (long) LONGS.get(from, offset + shift) ^ tweaks[i]);
        }
    }

    /** One thread's ciphers, tweak and sector buffers. */
    private static final class Ciphers {
        private final Cipher encrypt;
        private final Cipher decrypt;
        private final long[] tweaks = new long[BLOCKS * 2];
        private final byte[] sectorNumber = new byte[BLOCK];
        private final byte[] first = new byte[BLOCK];
        private final byte[] whitened = new byte[SECTOR];

        Ciphers(SecretKeySpec key) {
            try {
                encrypt = Cipher.getInstance("AES/ECB/NoPadding");
                encrypt.init(Cipher.ENCRYPT_MODE, key);
                decrypt = Cipher.getInstance("AES/ECB/NoPadding");
                decrypt.init(Cipher.DECRYPT_MODE, key);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK offers no AES/ECB/NoPadding", e);
            }
        }

        /** The tweaks of the sector's blocks, two little-endian longs each. */
        long[] tweaks(long sector) {
            LONGS.set(sectorNumber, 0, sector);
            LONGS.set(sectorNumber, Long.BYTES, 0L);
            run(encrypt, sectorNumber, first, 0, BLOCK);
            long low = (long) LONGS.get(first, 0);
            long high = (long) LONGS.get(first, Long.BYTES);
            for (int block = 0; block < BLOCKS; block++) {
                tweaks[2 * block] = low;
                tweaks[2 * block + 1] = high;
                long carry = high >>> 63;
                high = high << 1 | low >>> 63;
                low = low << 1 ^ (carry == 0 ? 0 : GF_128_FEEDBACK);
            }
            return tweaks;
        }

        /** {@code to[at, at + length) = cipher(from[0, length))}; never the same bytes (see above). */
        private static void run(Cipher cipher, byte[] from, byte[] to, int at, int length) {
            try {
                cipher.doFinal(from, 0, length, to, at);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES failed on a whole number of blocks", e);
            }
        }
    }
}
