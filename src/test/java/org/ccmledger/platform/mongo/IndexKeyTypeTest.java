package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * The embedded store's index entries written by {@link IndexKeyType}: every value class an index key or position holds
 * comes back of its class and equal (the missing value as the one instance there is), an entry holding any other value
 * falls back to H2's own serialization, the entries are a fraction of their Java-serialized size, and a map of them
 * keeps its order and its keys through a reopen.
 */
class IndexKeyTypeTest {

    @TempDir
    Path dir;

    private final IndexKeyType type = new IndexKeyType();

    private byte[] written(Object entry) {
        WriteBuffer buffer = new WriteBuffer();
        type.write(buffer, entry);
        ByteBuffer bytes = buffer.getBuffer();
        bytes.flip();
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return copy;
    }

    private Object read(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        Object entry = type.read(buffer);
        assertThat(buffer.remaining()).as("every byte written is read").isZero();
        return entry;
    }

    @Test
    void everyKeyValueClassComesBackOfItsClassAndEqual() {
        List<Object> values = new ArrayList<>(List.of("Ünïcode ✓ patient-42", "", 1L << 40, -7L, 42, -0.25, true,
                UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), Instant.ofEpochSecond(1_767_225_600L, 123_456_789),
                Instant.ofEpochSecond(-1L), new ObjectId("65a1f0c2e4b0a1b2c3d4e5f6")));
        values.add(null);
        KeyValue key = new KeyValue(values);

        byte[] bytes = written(key);
        assertThat(bytes[0]).isEqualTo(IndexKeyType.KEY);
        KeyValue back = (KeyValue) read(bytes);
        assertThat(back).isEqualTo(key);
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            assertThat(back.get(i)).isEqualTo(value);
            if (value != null) {
                assertThat(back.get(i)).isExactlyInstanceOf(value.getClass());
            }
        }
        assertThat(type.compare(back, key)).isZero();
    }

    @Test
    void theMissingValueComesBackAsTheOneInstance() {
        KeyValue back = (KeyValue) read(written(new KeyValue("a", Missing.getInstance())));
        assertThat(back.get(1)).isSameAs(Missing.getInstance());
        assertThat(read(written(Missing.getInstance()))).isSameAs(Missing.getInstance());
    }

    @Test
    void positionsAreWrittenAsOneValue() {
        for (Object position : List.of("patient-1", 12_345L, new ObjectId("65a1f0c2e4b0a1b2c3d4e5f6"))) {
            byte[] bytes = written(position);
            assertThat(bytes[0]).isEqualTo(IndexKeyType.VALUE);
            assertThat(read(bytes)).isEqualTo(position).isExactlyInstanceOf(position.getClass());
        }
    }

    @Test
    void anEntryHoldingAnotherValueFallsBackToH2sSerialization() {
        for (Object entry : List.<Object>of(new KeyValue("a", new Document("x", 1)), new KeyValue((Object) List.of(1, 2)),
                                            new KeyValue(new BigDecimal("1.50")), new KeyValue(new Date(5L)),
                                            new Document("x", 1))) {
            byte[] bytes = written(entry);
            assertThat(bytes[0]).as("%s", entry).isEqualTo(IndexKeyType.SERIALIZED);
            assertThat(read(bytes)).isEqualTo(entry);
        }
    }

    @Test
    void keysTakeAFractionOfTheirJavaSerializedSize() {
        KeyValue key = new KeyValue("practice-7/patient-12345", 17L);
        WriteBuffer serialized = new WriteBuffer();
        new ObjectDataType().write(serialized, key);
        int compact = written(key).length;
        System.out.printf("index key: %d bytes, Java-serialized %d bytes%n", compact, serialized.position());
        assertThat(compact).isLessThan(serialized.position() / 4);
        // the page cache's and the page split's estimate: the key's own size, not a guess for an unknown class
        assertThat(type.getMemory(key)).isBetween(60, 300);
    }

    @Test
    void aMapOfCompactEntriesKeepsItsOrderAndKeysThroughAReopen() {
        Path file = dir.resolve("index.mv.db");
        List<KeyValue> keys = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            keys.add(new KeyValue("patient-" + new StringBuilder(Integer.toString(i * 7_919)).reverse(), (long) i));
        }
        try (MVStore store = StoreFile.open(file, null, false)) {
            MVMap<KeyValue, Object> map = store.openMap("index", builder());
            keys.forEach(key -> map.put(key, "position-" + key.get(1)));
            store.commit();
        }
        try (MVStore store = StoreFile.open(file, null, false)) {
            MVMap<KeyValue, Object> map = store.openMap("index", builder());
            assertThat(map.sizeAsLong()).isEqualTo(keys.size());
            for (KeyValue key : keys) {
                assertThat(map.get(key)).isEqualTo("position-" + key.get(1));
            }
            List<KeyValue> inOrder = new ArrayList<>(keys);
            inOrder.sort(IndexKeyOrder::compareKeys);
            assertThat(new ArrayList<>(map.keySet())).containsExactlyElementsOf(inOrder);
        }
    }

    private static MVMap.Builder<KeyValue, Object> builder() {
        return new MVMap.Builder<KeyValue, Object>().keyType(new IndexKeyType()).valueType(new IndexKeyType());
    }
}
