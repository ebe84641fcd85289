package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.store.fs.encrypt.FileEncrypt;
import org.h2.store.fs.encrypt.FilePathEncrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AesXtsFile} writes H2's encrypted format byte for byte: what H2's own {@link FileEncrypt} wrote, it reads;
 * what it writes, {@code FileEncrypt} reads; and a whole MVStore encrypted by H2 opens through {@link StoreFile}
 * and the other way round, so existing encrypted stores keep opening and stay openable by H2's tools.
 */
class AesXtsFileTest {

    private static final DataKey KEY = DataKey.generate();
    private static final char[] PASSWORD = KEY.password();

    @TempDir
    Path dir;

    @Test
    void readsWhatH2sOwnEncryptionWroteAndWritesWhatItReads() throws Exception {
        byte[] data = new byte[3 * AesXts.SECTOR + 904];
        new Random(16).nextBytes(data);

        Path byH2 = dir.resolve("by-h2");
        try (FileChannel h2 = new FileEncrypt("by-h2", password(), open(byH2))) {
            write(h2, data, 0);
        }
        try (FileChannel ours = new AesXtsFile("by-h2", password(), open(byH2))) {
            assertThat(ours.size()).isEqualTo(data.length);
            assertThat(java.util.Arrays.mismatch(read(ours, 0, data.length), data)).as("first differing byte")
                                                                                   .isEqualTo(-1);
            assertThat(read(ours, 5_000, 100)).isEqualTo(java.util.Arrays.copyOfRange(data, 5_000, 5_100));
        }

        Path byUs = dir.resolve("by-us");
        try (FileChannel ours = new AesXtsFile("by-us", password(), open(byUs))) {
            write(ours, data, 0);
            // an unaligned write inside, as H2 would make one
            write(ours, new byte[] {1, 2, 3}, 4_095);
        }
        data[4_095] = 1;
        data[4_096] = 2;
        data[4_097] = 3;
        try (FileChannel h2 = new FileEncrypt("by-us", password(), open(byUs))) {
            assertThat(h2.size()).isEqualTo(data.length);
            assertThat(java.util.Arrays.mismatch(read(h2, 0, data.length), data)).as("first differing byte")
                                                                                 .isEqualTo(-1);
        }
        assertThat(Files.size(byUs)).isEqualTo(Files.size(byH2));
    }

    /**
     * Reads and writes longer than the buffer a thread ciphers through (16 sectors) go a piece at a time: a chunk
     * written in one call and pages read from anywhere in it come out as H2's own encryption has them.
     */
    @Test
    void readsAndWritesLongerThanAThreadsBufferAgreeWithH2() throws Exception {
        byte[] data = new byte[40 * AesXts.SECTOR + 904];
        new Random(40).nextBytes(data);
        Path byUs = dir.resolve("long-by-us");
        try (FileChannel ours = new AesXtsFile("long-by-us", password(), open(byUs))) {
            write(ours, java.util.Arrays.copyOf(data, 40 * AesXts.SECTOR), 0);
            write(ours, java.util.Arrays.copyOfRange(data, 40 * AesXts.SECTOR, data.length), 40 * AesXts.SECTOR);
            assertThat(read(ours, 5_000, 100_000)).isEqualTo(java.util.Arrays.copyOfRange(data, 5_000, 105_000));
            assertThat(read(ours, 16 * AesXts.SECTOR - 1, 2)).isEqualTo(
                    java.util.Arrays.copyOfRange(data, 16 * AesXts.SECTOR - 1, 16 * AesXts.SECTOR + 1));
        }
        try (FileChannel h2 = new FileEncrypt("long-by-us", password(), open(byUs))) {
            assertThat(java.util.Arrays.mismatch(read(h2, 0, data.length), data)).as("first differing byte")
                                                                                 .isEqualTo(-1);
        }
        Path byH2 = dir.resolve("long-by-h2");
        try (FileChannel h2 = new FileEncrypt("long-by-h2", password(), open(byH2))) {
            write(h2, data, 0);
        }
        try (FileChannel ours = new AesXtsFile("long-by-h2", password(), open(byH2))) {
            assertThat(java.util.Arrays.mismatch(read(ours, 0, data.length), data)).as("first differing byte")
                                                                                   .isEqualTo(-1);
            assertThat(read(ours, 70_001, 90_000)).isEqualTo(java.util.Arrays.copyOfRange(data, 70_001, 160_001));
        }
    }

    /**
     * A store file passes 2 GB: sizes past {@code Integer.MAX_VALUE} once overflowed into a negative truncate, which
     * closed the store. The file here is sparse (only its last sectors are written), and H2's reader agrees.
     */
    @Test
    void writesAndReadsPastTwoGigabytes() throws Exception {
        long far = 3L * 1024 * 1024 * 1024 + 7 * AesXts.SECTOR;
        byte[] data = new byte[2 * AesXts.SECTOR + 100];
        new Random(2).nextBytes(data);
        Path file = dir.resolve("large");
        try (FileChannel ours = new AesXtsFile("large", password(), open(file))) {
            write(ours, data, far);
            write(ours, new byte[] {9, 8, 7}, far + 10);
            assertThat(ours.size()).isEqualTo(far + data.length);
        }
        data[10] = 9;
        data[11] = 8;
        data[12] = 7;
        try (FileChannel ours = new AesXtsFile("large", password(), open(file))) {
            assertThat(ours.size()).isEqualTo(far + data.length);
            assertThat(read(ours, far, data.length)).isEqualTo(data);
            ours.truncate(far + AesXts.SECTOR);
            assertThat(ours.size()).isEqualTo(far + AesXts.SECTOR);
        }
        try (FileChannel h2 = new FileEncrypt("large", password(), open(file))) {
            assertThat(h2.size()).isEqualTo(far + AesXts.SECTOR);
            assertThat(read(h2, far, AesXts.SECTOR)).isEqualTo(java.util.Arrays.copyOf(data, AesXts.SECTOR));
        }
    }

    @Test
    void anMvStoreEncryptedByH2OpensThroughStoreFileAndTheOtherWayRound() {
        Path byH2 = dir.resolve("h2.mv");
        try (MVStore store = new MVStore.Builder().fileName(byH2.toString()).encryptionKey(PASSWORD.clone()).open()) {
            fill(store.openMap("m"));
            store.commit();
        }
        try (MVStore store = StoreFile.open(byH2, KEY, false)) {
            assertFilled(store.openMap("m"));
            store.<Integer, String>openMap("m").put(-1, "added through StoreFile");
            store.commit();
        }
        try (MVStore store = new MVStore.Builder().fileName(byH2.toString()).encryptionKey(PASSWORD.clone()).open()) {
            MVMap<Integer, String> map = store.openMap("m");
            assertFilled(map);
            assertThat(map.get(-1)).isEqualTo("added through StoreFile");
        }
        assertThat(StoreFile.state(byH2)).isEqualTo(StoreFile.State.ENCRYPTED);
    }

    private static void fill(MVMap<Integer, String> map) {
        for (int i = 0; i < 20_000; i++) {
            map.put(i, "value " + i + " ".repeat(i % 50));
        }
    }

    private static void assertFilled(MVMap<Integer, String> map) {
        for (int i = 0; i < 20_000; i += 37) {
            assertThat(map.get(i)).isEqualTo("value " + i + " ".repeat(i % 50));
        }
    }

    private static byte[] password() {
        return FilePathEncrypt.getPasswordBytes(PASSWORD.clone());
    }

    private static FileChannel open(Path file) throws Exception {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static void write(FileChannel channel, byte[] bytes, long position) throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    private static byte[] read(FileChannel channel, long position, int length) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            position += channel.read(buffer, position);
        }
        return buffer.array();
    }
}
