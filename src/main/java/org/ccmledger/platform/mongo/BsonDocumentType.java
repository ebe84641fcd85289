package org.ccmledger.platform.mongo;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * How the embedded store writes a collection's documents into its file: as BSON, the form they arrive in and leave
 * in, instead of H2's default, Java serialization (an object stream with its class descriptors per document, which
 * was a sixth of the CPU of an import and most of a page's size). A value is a tag byte and then either
 * {@link #BSON}: the document's BSON (its own length first), or {@link #SERIALIZED}: H2's own serialization, for a
 * document holding a value BSON cannot carry (none that arrives through the wire protocol; kept so that nothing a
 * collection holds can fail to be written). Maps written before this type are rewritten once
 * ({@link OrderedIndexDatabase}).
 * <p>
 * A commit writes every document of each page it rewrites, most of them unchanged. So the BSON a document was read
 * from, or was last written as, is kept with it while the document is in memory (an identity-keyed weak map: once
 * H2's page cache lets a document go, its bytes go too), and written again as it is instead of re-encoding the
 * document. mongo-java-server changes a stored document in place in one place only, an update, which then puts the
 * same document back into the map (H2 writes a value's page only when it is put); {@link StoreCollection} has the
 * kept bytes {@link #forget forgotten} before that put, so the next write encodes the updated document.
 */
final class BsonDocumentType extends BasicDataType<Document> {

    static final BsonDocumentType INSTANCE = new BsonDocumentType();

    static final byte SERIALIZED = 0;
    static final byte BSON = 1;

    /** Encoding buffers larger than this are not kept for the next document. */
    private static final int KEPT_BUFFER = 1 << 20;

    private static final ThreadLocal<ByteBuf> ENCODING = ThreadLocal.withInitial(() -> Unpooled.buffer(1024));

    private final ObjectDataType serialized = new ObjectDataType();

    /** Each document in memory with the BSON it was read from or last written as, by identity. */
    private final Map<Kept, byte[]> encoded = new ConcurrentHashMap<>();
    private final ReferenceQueue<Document> released = new ReferenceQueue<>();

    private BsonDocumentType() {
    }

    @Override
    public void write(WriteBuffer buff, Document document) {
        byte[] known = encoded.get(new Kept(document, null));
        if (known != null) {
            buff.put(BSON);
            buff.put(known);
            return;
        }
        ByteBuf bytes = ENCODING.get();
        bytes.clear();
        try {
            BsonEncoder.encodeDocument(document, bytes);
        } catch (RuntimeException notBson) {
            buff.put(SERIALIZED);
            serialized.write(buff, document);
            return;
        }
        buff.put(BSON);
        byte[] written = new byte[bytes.readableBytes()];
        bytes.getBytes(bytes.readerIndex(), written);
        buff.put(written);
        keep(document, written);
        if (bytes.capacity() > KEPT_BUFFER) {
            ENCODING.remove();
        }
    }

    /** Remembers a document's BSON while the document is in memory; forgets those of documents let go since. */
    private void keep(Document document, byte[] bytes) {
        for (Object gone = released.poll(); gone != null; gone = released.poll()) {
            encoded.remove(gone);
        }
        encoded.put(new Kept(document, released), bytes);
    }

    /** Drops what is kept for {@code document}, which was changed in place: its next write encodes it. */
    void forget(Document document) {
        encoded.remove(new Kept(document, null));
    }

    /** A document, weakly, equal only to the same instance. */
    private static final class Kept extends WeakReference<Document> {

        private final int hash;

        Kept(Document document, ReferenceQueue<Document> queue) {
            super(document, queue);
            this.hash = System.identityHashCode(document);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof Kept that)) {
                return false;
            }
            Document document = get();
            return document != null && document == that.get();
        }
    }

    @Override
    public Document read(ByteBuffer buff) {
        byte tag = buff.get();
        if (tag == SERIALIZED) {
            return (Document) serialized.read(buff);
        }
        if (tag != BSON) {
            throw new IllegalStateException("a document of the embedded store has an unknown format (" + tag + ")");
        }
        int start = buff.position();
        int length = buff.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(start);
        byte[] bytes = new byte[length];
        buff.get(bytes);
        Document document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
        keep(document, bytes);
        return document;
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }

    /** Equal documents compare as 0 (H2 compares values only to see whether they are equal). */
    @Override
    public int compare(Document a, Document b) {
        return a.equals(b) ? 0 : Integer.compare(System.identityHashCode(a), System.identityHashCode(b)) | 1;
    }

    /** An estimate of the document's heap size and of its kept BSON, for H2's page cache (no encoding). */
    @Override
    public int getMemory(Document document) {
        byte[] known = encoded.get(new Kept(document, null));
        return (int) Math.min(Integer.MAX_VALUE, memory(document, 0) + (known == null ? 0 : 16 + known.length));
    }

    private static long memory(Object value, int depth) {
        if (depth > 100) {
            return 64;
        }
        if (value instanceof Map<?, ?> map) {
            long size = 64;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                size += 48 + memory(entry.getKey(), depth + 1) + memory(entry.getValue(), depth + 1);
            }
            return size;
        }
        if (value instanceof Collection<?> values) {
            long size = 40;
            for (Object element : values) {
                size += 8 + memory(element, depth + 1);
            }
            return size;
        }
        if (value instanceof CharSequence text) {
            return 48 + text.length();
        }
        if (value instanceof byte[] bytes) {
            return 16 + bytes.length;
        }
        return 24;
    }
}
