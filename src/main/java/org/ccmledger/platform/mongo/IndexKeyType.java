package org.ccmledger.platform.mongo;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * How the embedded store writes its unique indexes' entries into the file, in {@link IndexKeyOrder}: a key
 * ({@link KeyValue}) value by value, and the position an index gives (the document's {@code _id}) the same way, each
 * value in H2's own compact form for its class (a string as its characters, a number as a variable-length integer),
 * instead of H2's default for a class it does not know, Java serialization (an object stream with class descriptors
 * per key: 247 bytes for a key of a string and a number, 32 here; writing them was 6.5 % of an import's CPU, since
 * every commit rewrites the index pages it touched, and reading them back 3 %). An entry is a tag byte and
 * then {@link #KEY}: the number of values and each value; {@link #VALUE}: one value; or {@link #SERIALIZED}: H2's own
 * form of the whole entry, for an entry holding a value of another class (a document, an array, a decimal), so that
 * nothing an index holds can fail to be written. Each value is a byte naming its form and then the value. Maps written
 * before this type are rewritten once ({@link OrderedIndexDatabase}).
 */
final class IndexKeyType extends IndexKeyOrder {

    static final byte SERIALIZED = 0;
    static final byte KEY = 1;
    static final byte VALUE = 2;

    /** A value's form within an entry. */
    private static final byte H2 = 'h';
    private static final byte OBJECT_ID = 'o';
    private static final byte INSTANT = 'i';
    private static final byte MISSING = 'm';

    @Override
    public void write(WriteBuffer buff, Object entry) {
        if (entry instanceof KeyValue key && key.stream().allMatch(IndexKeyType::compact)) {
            buff.put(KEY);
            buff.putVarInt(key.size());
            key.forEach(value -> writeValue(buff, value));
        } else if (!(entry instanceof KeyValue) && compact(entry)) {
            buff.put(VALUE);
            writeValue(buff, entry);
        } else {
            buff.put(SERIALIZED);
            super.write(buff, entry);
        }
    }

    @Override
    public Object read(ByteBuffer buff) {
        byte tag = buff.get();
        return switch (tag) {
            case KEY -> {
                Object[] values = new Object[DataUtils.readVarInt(buff)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = readValue(buff);
                }
                yield new KeyValue(Arrays.asList(values));
            }
            case VALUE -> readValue(buff);
            case SERIALIZED -> super.read(buff);
            default -> throw new IllegalStateException("an index entry of the embedded store has an unknown format ("
                                                       + tag + ")");
        };
    }

    /** An estimate of the entry's heap size, for H2's page cache and page splits (no encoding). */
    @Override
    public int getMemory(Object entry) {
        if (entry instanceof KeyValue key) {
            int size = 56;
            for (Object value : key) {
                size += 8 + memory(value);
            }
            return size;
        }
        return compact(entry) ? memory(entry) : super.getMemory(entry);
    }

    /** Values of the classes written here, each read back as a value of its class, equal to the one written. */
    private static boolean compact(Object value) {
        return value == null || value instanceof String || value instanceof Long || value instanceof Integer
               || value instanceof Double || value instanceof Boolean || value instanceof UUID
               || value instanceof Instant || value instanceof Missing
               || value != null && value.getClass() == ObjectId.class;
    }

    private void writeValue(WriteBuffer buff, Object value) {
        if (value instanceof ObjectId id) { // of that class exactly (compact)
            buff.put(OBJECT_ID).put(id.toByteArray());
        } else if (value instanceof Instant at) {
            buff.put(INSTANT).putVarLong(at.getEpochSecond()).putVarInt(at.getNano());
        } else if (value instanceof Missing) {
            buff.put(MISSING);
        } else {
            buff.put(H2);
            super.write(buff, value);
        }
    }

    private Object readValue(ByteBuffer buff) {
        byte form = buff.get();
        return switch (form) {
            case H2 -> super.read(buff);
            case OBJECT_ID -> {
                byte[] id = new byte[12];
                buff.get(id);
                yield new ObjectId(id);
            }
            case INSTANT -> Instant.ofEpochSecond(DataUtils.readVarLong(buff), DataUtils.readVarInt(buff));
            case MISSING -> Missing.getInstance();
            default -> throw new IllegalStateException("an index value of the embedded store has an unknown form ("
                                                       + form + ")");
        };
    }

    private static int memory(Object value) {
        return value instanceof String text ? 40 + 2 * text.length() : value instanceof ObjectId ? 48 : 24;
    }
}
