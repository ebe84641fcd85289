package org.ccmledger.platform.mongo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.h2.store.fs.encrypt.FilePathEncrypt;

/**
 * H2 file names {@code ccm-aes:<key handle>:<file>}: the file opened as an {@link AesXtsFile}, in H2's encrypted
 * format, with the password registered under the handle ({@link #name}). The handle stands for the password so that
 * no key appears in a file name, which H2 puts in its messages; it is forgotten once the store is open
 * ({@link #forget}).
 */
public final class AesXtsFilePath extends FilePathWrapper {

    static final String SCHEME = "ccm-aes";
    private static final Map<String, byte[]> PASSWORDS = new ConcurrentHashMap<>();

    static {
        FilePath.register(new AesXtsFilePath());
    }

    /** For H2, which makes one per path it is given. */
    public AesXtsFilePath() {
    }

    /**
     * The H2 file name under which {@code file} opens encrypted with {@code password}, as H2's own
     * {@code encryptionKey(password)} would have encrypted it.
     */
    static String name(String file, char[] password) {
        byte[] handleBytes = new byte[12];
        new SecureRandom().nextBytes(handleBytes);
        String handle = HexFormat.of().formatHex(handleBytes);
        PASSWORDS.put(handle, FilePathEncrypt.getPasswordBytes(password));
        return SCHEME + ":" + handle + ":" + file;
    }

    /** Forgets the password of a name made by {@link #name}: files already open keep their key. */
    static void forget(String name) {
        String[] parts = parse(name);
        byte[] password = PASSWORDS.remove(parts[0]);
        if (password != null) {
            java.util.Arrays.fill(password, (byte) 0);
        }
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        String[] parts = parse(name);
        byte[] password = PASSWORDS.get(parts[0]);
        if (password == null) {
            throw new IOException("no key is registered for " + parts[1]);
        }
        return new AesXtsFile(parts[1], password.clone(), FilePath.get(parts[1]).open(mode));
    }

    @Override
    public long size() {
        long stored = getBase().size() - AesXts.SECTOR;
        if (stored < 0) {
            return 0;
        }
        return stored % AesXts.SECTOR == 0 ? stored : stored - AesXts.SECTOR;
    }

    @Override
    public InputStream newInputStream() throws IOException {
        return Channels.newInputStream(open("r"));
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        return newFileChannelOutputStream(open("rw"), append);
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    protected String getPrefix() {
        return SCHEME + ":" + parse(name)[0] + ":";
    }

    @Override
    public FilePath unwrap(String fileName) {
        return FilePath.get(parse(fileName)[1]);
    }

    /** The handle and the file of a name {@code ccm-aes:<handle>:<file>}. */
    private static String[] parse(String fileName) {
        if (!fileName.startsWith(SCHEME + ":")) {
            throw new IllegalArgumentException("not a " + SCHEME + " file name");
        }
        String rest = fileName.substring(SCHEME.length() + 1);
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a " + SCHEME + " file name names a key handle");
        }
        return new String[] {rest.substring(0, colon), rest.substring(colon + 1)};
    }
}
