package org.ccmledger.platform.security;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private-key files in the data directory (the ledger's signing key, the development issuer's key): PEM text, written
 * owner-only and forced to disk, created at most once even when two processes start together.
 */
public final class KeyFiles {

    private static final Logger log = LoggerFactory.getLogger(KeyFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {
    }

    /** {@code der} as a PEM block with this label ({@code PRIVATE KEY}, {@code PUBLIC KEY}). */
    public static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** The bytes of the PEM block with this label; {@link IllegalArgumentException} when there is none. */
    public static byte[] der(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + begin + " block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    /**
     * Writes {@code text} to {@code file} when it does not exist yet: to an owner-only temporary file first, forced
     * to disk, then hard-linked into place, which fails when the file exists. Of two first starts one file wins and
     * both read it (a rename would let the second replace the first). Returns whether this call created it.
     */
    public static boolean createOwnerOnly(Path file, String text) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = ownerOnlyTemporaryFile(directory, file.getFileName().toString());
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                                                        StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(StandardCharsets.US_ASCII.encode(text));
                channel.force(true);
            }
            Files.createLink(file, temporary);
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * A 256-bit secret key, Base64 on one line in {@code file}: generated (from {@link java.security.SecureRandom})
     * and written owner-only ({@link #createOwnerOnly}) when the file does not exist and {@code create} is set, then
     * read. {@link IllegalStateException} when the file is missing (and not to be created) or does not hold 32 bytes;
     * the message names the file, never its content.
     */
    public static byte[] secretKey(Path file, boolean create) throws IOException {
        if (create && !Files.exists(file)) {
            byte[] raw = new byte[32];
            new java.security.SecureRandom().nextBytes(raw);
            createOwnerOnly(file, Base64.getEncoder().encodeToString(raw) + "\n");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("not a readable key file: " + file);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(read(file).strip());
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length != 32) {
            throw new IllegalStateException("the key file " + file + " must hold 32 bytes (256 bits), Base64");
        }
        return raw;
    }

    /** The file's text, with a warning when users other than its owner may read it. */
    public static String read(Path file) throws IOException {
        if (posix()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("The key file {} is readable by other users than its owner", file);
            }
        }
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    private static Path ownerOnlyTemporaryFile(Path directory, String name) throws IOException {
        if (posix()) {
            return Files.createTempFile(directory, name, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Path file = Files.createTempFile(directory, name, ".tmp");
        File plain = file.toFile();
        boolean restricted = plain.setReadable(false, false) & plain.setWritable(false, false)
                & plain.setReadable(true, true) & plain.setWritable(true, true);
        if (!restricted) {
            log.warn("Could not make {} readable by its owner only", file);
        }
        return file;
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
