package org.ccmledger.platform.mongo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;

/**
 * The embedded store's file ({@value #NAME} in the data directory): whether it is encrypted, opening it with its
 * {@link DataKey}, and copying it whole into a new file under another key (or none) for the offline commands.
 */
public final class StoreFile {

    /** The file's name in the data directory. */
    public static final String NAME = "ccm-ledger.mv";

    /** What a store file is, from its first bytes. */
    public enum State {
        /** No file, or an empty one: a new store is created. */
        MISSING,
        /** A plain MVStore file: readable by whoever reads the file. */
        PLAIN,
        /** H2's encrypted file: readable only with its data key. */
        ENCRYPTED
    }

    private static final byte[] PLAIN_HEADER = "H:2,".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENCRYPTED_HEADER = "H2encrypt".getBytes(StandardCharsets.US_ASCII);

    private StoreFile() {
    }

    /** {@value #NAME} in {@code dataDirectory}. */
    public static Path in(Path dataDirectory) {
        return dataDirectory.toAbsolutePath().normalize().resolve(NAME);
    }

    /** Whether {@code file} is missing, plain or encrypted; {@link IllegalStateException} when it is none of these. */
    public static State state(Path file) {
        if (!Files.exists(file)) {
            return State.MISSING;
        }
        byte[] start = new byte[ENCRYPTED_HEADER.length];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(start, 0, start.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (read == 0) {
            return State.MISSING;
        }
        if (startsWith(start, read, ENCRYPTED_HEADER)) {
            return State.ENCRYPTED;
        }
        if (startsWith(start, read, PLAIN_HEADER)) {
            return State.PLAIN;
        }
        throw new IllegalStateException(file + " is not an H2 MVStore file");
    }

    private static boolean startsWith(byte[] bytes, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Opens the store in {@code file}, encrypted with {@code key} ({@code null}: plain). A key that does not open the
     * file is an {@link IllegalStateException} naming the key's id only: nothing of the file's content.
     */
    static MVStore open(Path file, DataKey key, boolean readOnly) {
        return open(file, key, readOnly, 16);
    }

    /** The same, keeping up to {@code cacheSizeMb} of pages read (decrypted, deserialized) in memory. */
    static MVStore open(Path file, DataKey key, boolean readOnly, int cacheSizeMb) {
        // encrypted as H2's encryptionKey(...) would, with the JDK's AES instead of H2's own (AesXts)
        String name = key == null ? file.toString() : AesXtsFilePath.name(file.toString(), key.password());
        MVStore.Builder builder = new MVStore.Builder().fileName(name).cacheSize(cacheSizeMb);
        if (readOnly) {
            builder.readOnly();
        } else {
            // autoCommitDisabled() only stops the timer; a zero buffer size also stops the commit H2 would otherwise
            // start by itself when enough unsaved pages pile up, in the middle of some command
            builder.autoCommitDisabled().autoCommitBufferSize(0);
        }
        try {
            return builder.open();
        } catch (RuntimeException e) {
            if (key != null && state(file) == State.ENCRYPTED) {
                throw new IllegalStateException("the embedded data file " + file + " does not open with data key "
                        + key.id() + ": another key, or a damaged file (" + e.getClass().getSimpleName() + ")");
            }
            throw e;
        } finally {
            if (key != null) {
                AesXtsFilePath.forget(name);
            }
        }
    }

    /**
     * Whether a process (the service) has {@code file} open: H2 holds a lock on the file while its store is open.
     * A missing file is not in use.
     */
    public static boolean inUse(Path file) {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check whether " + file + " is in use", e);
        }
    }

    /**
     * Copies {@code from}'s bytes, as long as it is now, into the new file {@code target}, created owner-only
     * ({@code rw-------}) and forced to disk; returns the bytes copied. A backup copy of a store file: whoever copies
     * must make sure nobody writes the file meanwhile.
     */
    public static long copyBytes(FileChannel from, Path target) throws IOException {
        try (FileChannel to = FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                                               PosixFilePermissions.asFileAttribute(
                                                       PosixFilePermissions.fromString("rw-------")))) {
            long size = from.size();
            long copied = 0;
            while (copied < size) {
                copied += from.transferTo(copied, size - copied, to);
            }
            to.force(true);
            return copied;
        }
    }

    /**
     * Copies every map of the store in {@code source} (opened with {@code sourceKey}, {@code null} for plain) into a
     * new store file {@code target} encrypted with {@code targetKey} (MVStore's own copy, {@link MVStoreTool}). The
     * source is opened read-only; the target must not exist.
     */
    public static void copy(Path source, DataKey sourceKey, Path target, DataKey targetKey) {
        if (Files.exists(target)) {
            throw new IllegalStateException(target + " exists already");
        }
        try (MVStore from = open(source, sourceKey, true); MVStore to = open(target, targetKey, false)) {
            MVStoreTool.compact(from, to);
            to.commit();
            to.sync();
        }
    }
}
