package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The embedded store's unique indexes in {@link IndexKeyOrder}, written by {@link IndexKeyType}: a store written by
 * mongo-java-server's own backend (indexes ordered by serialized bytes, as every file before this order) or by the
 * version before this form (in this order, keys Java-serialized) is rewritten once when opened, after which every key
 * is found again and uniqueness still holds; a new store's indexes are in the new order and form from the start.
 */
class OrderedIndexDatabaseTest {

    private static final int DOCUMENTS = 2_000;
    private static final String INDEX_MAP = "db.items._index_key_1";

    @TempDir
    Path dir;

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @Test
    void aStoreWrittenInTheOldOrderIsReorderedOnceAndFindsEveryKey() {
        Path file = dir.resolve("old.mv.db");
        writeInTheOldOrder(file);

        DurableH2Backend backend = DurableH2Backend.open(file, false, null);
        try {
            for (int i = 0; i < DOCUMENTS; i += 7) {
                assertThat(find(backend, key(i))).extracting(d -> d.get("_id")).containsExactly((long) i);
            }
            assertEveryKeyIsStillUnique(backend);
            MVMap<String, Integer> ordered = backend.getMvStore().openMap(OrderedIndexDatabase.COMPACT_INDEX_MAPS);
            assertThat(ordered).containsKeys(INDEX_MAP, "db.items._index__id_");
            assertThat(backend.getMvStore().hasUnsavedChanges()).isFalse();
        } finally {
            backend.close();
        }
        assertTheIndexIsWrittenCompactly(file);

        DurableH2Backend reopened = DurableH2Backend.open(file, false, null);
        try {
            assertThat(find(reopened, key(1_234))).extracting(d -> d.get("_id")).containsExactly(1_234L);
            assertEveryKeyIsStillUnique(reopened);
        } finally {
            reopened.close();
        }
    }

    @Test
    void aStoreWhoseIndexesAreInThisOrderWithJavaSerializedKeysIsRewrittenOnce() {
        Path file = dir.resolve("ordered.mv.db");
        writeInTheOldOrder(file);
        // as the version before wrote it: each index re-ordered, its keys still in H2's default (Java) serialization
        try (MVStore store = StoreFile.open(file, null, false)) {
            for (String name : List.of(INDEX_MAP, "db.items._index__id_")) {
                MVMap<KeyValue, Object> old = store.openMap(name);
                MVMap<KeyValue, Object> ordered = store.openMap(name + ".copy",
                        new MVMap.Builder<KeyValue, Object>().keyType(new IndexKeyOrder()));
                old.forEach(ordered::put);
                store.removeMap(old);
                store.renameMap(ordered, name);
                store.<String, Integer>openMap("ccm-ordered-indexes").put(name, 1);
            }
            store.commit();
        }

        DurableH2Backend backend = DurableH2Backend.open(file, false, null);
        try {
            for (int i = 0; i < DOCUMENTS; i += 7) {
                assertThat(find(backend, key(i))).extracting(d -> d.get("_id")).containsExactly((long) i);
            }
            assertEveryKeyIsStillUnique(backend);
        } finally {
            backend.close();
        }
        assertTheIndexIsWrittenCompactly(file);
    }

    @Test
    void anIndexInTheOldOrderSearchedInTheNewMissesKeysWhichIsWhyItIsReordered() {
        Path file = dir.resolve("old.mv.db");
        writeInTheOldOrder(file);

        try (MVStore store = StoreFile.open(file, null, true)) {
            MVMap<KeyValue, Object> misread = store.openMap(INDEX_MAP,
                    new MVMap.Builder<KeyValue, Object>().keyType(new IndexKeyOrder()));
            long missed = 0;
            for (int i = 0; i < DOCUMENTS; i++) {
                if (misread.get(new KeyValue(key(i))) == null) {
                    missed++;
                }
            }
            assertThat(missed).isPositive();
        }
    }

    @Test
    void aNewStoresIndexesAreInTheNewOrderFromTheStart() {
        DurableH2Backend backend = DurableH2Backend.open(dir.resolve("new.mv.db"), false, null);
        try {
            fill(backend);
            assertThat(backend.getMvStore().<String, Integer>openMap(OrderedIndexDatabase.COMPACT_INDEX_MAPS))
                    .containsKey(INDEX_MAP);
            assertThat(find(backend, key(42))).extracting(d -> d.get("_id")).containsExactly(42L);
            assertEveryKeyIsStillUnique(backend);
        } finally {
            backend.close();
        }
    }

    /**
     * Every entry of the index map, read as raw bytes, is in {@link IndexKeyType}'s compact form (a key of values, a
     * position as one value), not H2's serialization.
     */
    private void assertTheIndexIsWrittenCompactly(Path file) {
        try (MVStore store = StoreFile.open(file, null, true)) {
            MVMap<byte[], byte[]> raw = store.openMap(INDEX_MAP, new MVMap.Builder<byte[], byte[]>()
                    .keyType(RawEntry.INSTANCE).valueType(RawEntry.INSTANCE));
            assertThat(raw.sizeAsLong()).isEqualTo(DOCUMENTS);
            raw.forEach((key, value) -> {
                assertThat(key[0]).isEqualTo(IndexKeyType.KEY);
                assertThat(value[0]).isEqualTo(IndexKeyType.VALUE);
            });
        }
    }

    /** An index entry's bytes as {@link IndexKeyType} wrote them (read through it, to know where an entry ends). */
    private static final class RawEntry extends org.h2.mvstore.type.BasicDataType<byte[]> {

        static final RawEntry INSTANCE = new RawEntry();

        private final IndexKeyType type = new IndexKeyType();

        @Override
        public int getMemory(byte[] bytes) {
            return bytes.length;
        }

        @Override
        public void write(org.h2.mvstore.WriteBuffer buff, byte[] bytes) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public byte[] read(java.nio.ByteBuffer buff) {
            int start = buff.position();
            type.read(buff);
            byte[] bytes = new byte[buff.position() - start];
            buff.get(start, bytes);
            return bytes;
        }

        @Override
        public byte[][] createStorage(int size) {
            return new byte[size][];
        }

        @Override
        public int compare(byte[] a, byte[] b) {
            return java.util.Arrays.compare(a, b);
        }
    }

    /** A store as every earlier version wrote it: mongo-java-server's own H2 backend and index order. */
    private void writeInTheOldOrder(Path file) {
        H2Backend old = new H2Backend(StoreFile.open(file, null, false));
        fill(old);
        assertEveryKeyIsStillUnique(old);
        old.getMvStore().commit();
        old.close();
    }

    private void fill(H2Backend backend) {
        backend.handleCommand(channel, "db", "createIndexes", new Document("createIndexes", "items").append("indexes",
                List.of(new Document("key", new Document("key", 1)).append("name", "key_1").append("unique", true))));
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            documents.add(new Document("_id", (long) i).append("key", key(i)));
        }
        backend.handleCommand(channel, "db", "insert", new Document("insert", "items").append("documents", documents));
    }

    private void assertEveryKeyIsStillUnique(H2Backend backend) {
        for (int i = 0; i < DOCUMENTS; i += 7) {
            Document duplicate = new Document("_id", (long) (DOCUMENTS + i)).append("key", key(i));
            Document answer = backend.handleCommand(channel, "db", "insert",
                    new Document("insert", "items").append("documents", List.of(duplicate)));
            // mongo-java-server counts the refused document in n: the write error and the find say what happened
            assertThat(String.valueOf(answer.get("writeErrors"))).contains("E11000", "duplicate key");
            assertThat(find(backend, key(i))).extracting(d -> d.get("_id")).containsExactly((long) i);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Document> find(H2Backend backend, String key) {
        Document answer = backend.handleCommand(channel, "db", "find",
                new Document("find", "items").append("filter", new Document("key", key)));
        return (List<Document>) ((Document) answer.get("cursor")).get("firstBatch");
    }

    /** Keys whose serialized order differs from their string order (lengths vary, digits reversed). */
    private static String key(int i) {
        return "patient-" + new StringBuilder(Integer.toString(i * 7_919)).reverse();
    }
}
