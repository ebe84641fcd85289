package org.ccmledger.platform.mongo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.Map;

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
 */
final class BsonDocumentType extends BasicDataType<Document> {

    static final BsonDocumentType INSTANCE = new BsonDocumentType();

    static final byte SERIALIZED = 0;
    static final byte BSON = 1;

    /** Encoding buffers larger than this are not kept for the next document. */
    private static final int KEPT_BUFFER = 1 << 20;

    private static final ThreadLocal<ByteBuf> ENCODING = ThreadLocal.withInitial(() -> Unpooled.buffer(1024));

    private final ObjectDataType serialized = new ObjectDataType();

    private BsonDocumentType() {
    }

    @Override
    public void write(WriteBuffer buff, Document document) {
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
        buff.put(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
        if (bytes.capacity() > KEPT_BUFFER) {
            ENCODING.remove();
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
        Document document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(buff.slice(start, length)));
        buff.position(start + length);
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

    /** An estimate of the document's heap size, for H2's page cache (no encoding). */
    @Override
    public int getMemory(Document document) {
        return (int) Math.min(Integer.MAX_VALUE, memory(document, 0));
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
