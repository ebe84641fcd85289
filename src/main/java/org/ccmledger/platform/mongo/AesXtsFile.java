package org.ccmledger.platform.mongo;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import org.h2.security.SHA256;
import org.h2.store.fs.FileBaseDefault;

/**
 * A file in H2's encrypted format, read and written with {@link AesXts}: the same bytes as H2's own encrypted file,
 * so a store written either way opens the other way ({@code AesXtsFileTest} checks both directions).
 * <p>
 * The format: a first sector holding {@code "H2encrypt\n"} and an 8-byte random salt, then the data in sectors of
 * {@value AesXts#SECTOR} bytes, each encrypted under its number; the key is PBKDF2-HMAC-SHA256 of the password's
 * bytes and the salt, 10 iterations, 16 bytes. A data size that is not a whole number of sectors is recorded by
 * the length of a short unencrypted tail after the last sector.
 */
final class AesXtsFile extends FileBaseDefault {

    private static final int SECTOR = AesXts.SECTOR;
    private static final int HEADER_LENGTH = SECTOR;
    private static final byte[] HEADER = "H2encrypt\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int SALT_LENGTH = 8;
    private static final int KEY_ITERATIONS = 10;
    private static final int KEY_LENGTH = 16;

    /** Sectors read or written through a thread's own buffer at a time. */
    private static final int PIECE = 16 * SECTOR;
    private static final ThreadLocal<byte[]> PIECES = ThreadLocal.withInitial(() -> new byte[PIECE]);

    private final FileChannel base;
    private final String name;
    private byte[] password;
    private volatile AesXts xts;
    /** The data's size, without the header and the tail. */
    private volatile long size;

    /** Reads or writes nothing yet: the caller may lock the file first. */
    AesXtsFile(String name, byte[] password, FileChannel base) {
        this.name = name;
        this.password = password;
        this.base = base;
    }

    private AesXts xts() throws IOException {
        AesXts ready = xts;
        return ready != null ? ready : start();
    }

    private synchronized AesXts start() throws IOException {
        if (xts != null) {
            return xts;
        }
        long stored = base.size() - HEADER_LENGTH;
        byte[] salt = new byte[SALT_LENGTH];
        if (stored >= 0) {
            readFully(base, HEADER.length, ByteBuffer.wrap(salt));
            size = stored % SECTOR == 0 ? stored : stored - SECTOR;
        } else {
            new SecureRandom().nextBytes(salt);
            byte[] header = Arrays.copyOf(HEADER, HEADER_LENGTH);
            System.arraycopy(salt, 0, header, HEADER.length, SALT_LENGTH);
            writeFully(base, 0, ByteBuffer.wrap(header));
        }
        AesXts started = new AesXts(SHA256.getPBKDF2(password, salt, KEY_ITERATIONS, KEY_LENGTH));
        Arrays.fill(password, (byte) 0);
        password = null;
        xts = started;
        return started;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        int length = dst.remaining();
        if (length == 0) {
            return 0;
        }
        AesXts cipher = xts();
        if (position < 0) {
            throw new IllegalArgumentException("negative position");
        }
        if (position >= size) {
            return -1;
        }
        length = (int) Math.min(length, size - position);
        if (position % SECTOR == 0 && length % SECTOR == 0 && dst.hasArray()) {
            readSectors(dst, position, length, cipher);
            return length;
        }
        // H2 reads a page where it starts in its chunk: the sectors around it, a piece at a time, through this
        // thread's own buffer (a page read allocated a buffer of its sectors, and H2 allocates the page's own)
        byte[] piece = PIECES.get();
        long from = position - position % SECTOR;
        int skip = (int) (position - from);
        for (int done = 0; done < length; ) {
            int span = (int) Math.min(PIECE, roundUp(skip + length - done));
            readSectors(ByteBuffer.wrap(piece, 0, span), from, span, cipher);
            int take = Math.min(span - skip, length - done);
            dst.put(piece, skip, take);
            done += take;
            from += span;
            skip = 0;
        }
        return length;
    }

    private void readSectors(ByteBuffer dst, long position, int length, AesXts cipher) throws IOException {
        int start = dst.position();
        ByteBuffer window = dst.duplicate();
        window.limit(start + length);
        readFully(base, position + HEADER_LENGTH, window);
        byte[] array = dst.array();
        long sector = position / SECTOR;
        for (int done = 0; done < length; done += SECTOR) {
            cipher.decrypt(sector++, array, dst.arrayOffset() + start + done);
        }
        dst.position(start + length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        AesXts cipher = xts();
        int length = src.remaining();
        if (position % SECTOR == 0 && length % SECTOR == 0) {
            writeSectors(src, position, length, cipher);
            grown(position + length);
            return length;
        }
        long from = position - position % SECTOR;
        int skip = (int) (position - from);
        int span = (int) roundUp(skip + length);
        ByteBuffer sectors = ByteBuffer.allocate(span);
        long readable = roundUp(size - from);
        int existing = (int) Math.max(0, Math.min(span, readable));
        if (existing > 0) {
            readSectors(sectors, from, existing, cipher);
        }
        sectors.position(skip);
        sectors.put(src);
        sectors.position(0).limit(span);
        writeSectors(sectors, from, span, cipher);
        grown(position + length);
        return length;
    }

    /**
     * Records a data size grown to {@code end}: the file ends after the last sector, with a tail as long as the part
     * of it in use when that is not all of it. (H2's own file writes the tail after whatever it wrote, which in the
     * middle of a file would overwrite the next sector; the store only ever writes whole sectors, so this never
     * made two files differ.)
     */
    private void grown(long end) throws IOException {
        if (end <= size) {
            return;
        }
        size = end;
        long sectorsEnd = HEADER_LENGTH + roundUp(end);
        int tail = (int) (end % SECTOR);
        if (tail > 0) {
            writeFully(base, sectorsEnd, ByteBuffer.allocate(tail));
        }
        if (base.size() != sectorsEnd + tail) {
            base.truncate(sectorsEnd + tail);
        }
    }

    /** Encrypts a piece at a time into this thread's own buffer: the caller's bytes stay as they are. */
    private void writeSectors(ByteBuffer src, long position, int length, AesXts cipher) throws IOException {
        byte[] piece = PIECES.get();
        long sector = position / SECTOR;
        for (int done = 0; done < length; ) {
            int span = Math.min(PIECE, length - done);
            src.get(piece, 0, span);
            for (int at = 0; at < span; at += SECTOR) {
                cipher.encrypt(sector++, piece, at);
            }
            writeFully(base, position + HEADER_LENGTH + done, ByteBuffer.wrap(piece, 0, span));
            done += span;
        }
    }

    /** Bytes rounded up to whole sectors (a long: a store file passes 2 GB). */
    private static long roundUp(long bytes) {
        return (bytes + SECTOR - 1) / SECTOR * SECTOR;
    }

    private static void readFully(FileChannel file, long position, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            int read = file.read(dst, position);
            if (read < 0) {
                throw new EOFException();
            }
            position += read;
        }
    }

    private static void writeFully(FileChannel file, long position, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            position += file.write(src, position);
        }
    }

    @Override
    public long size() throws IOException {
        xts();
        return size;
    }

    @Override
    protected void implTruncate(long newSize) throws IOException {
        xts();
        if (newSize < 0) {
            throw new IllegalArgumentException("negative size");
        }
        if (newSize > size) {
            return;
        }
        base.truncate(newSize + HEADER_LENGTH + (newSize % SECTOR > 0 ? SECTOR : 0));
        size = newSize;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        base.force(metaData);
    }

    @Override
    public FileLock tryLock(long position, long length, boolean shared) throws IOException {
        return base.tryLock(position, length, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        base.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
