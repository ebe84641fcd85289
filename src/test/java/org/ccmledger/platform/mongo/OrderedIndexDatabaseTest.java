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
 * The embedded store's unique indexes in {@link IndexKeyOrder}: a store written by mongo-java-server's own backend
 * (indexes ordered by serialized bytes, as every file before this order) is re-ordered once when opened, after which
 * every key is found again and uniqueness still holds; a new store's indexes are in the new order from the start.
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
            MVMap<String, Integer> ordered = backend.getMvStore().openMap(OrderedIndexDatabase.ORDERED_MAPS);
            assertThat(ordered).containsKeys(INDEX_MAP, "db.items._index__id_");
            assertThat(backend.getMvStore().hasUnsavedChanges()).isFalse();
        } finally {
            backend.close();
        }

        DurableH2Backend reopened = DurableH2Backend.open(file, false, null);
        try {
            assertThat(find(reopened, key(1_234))).extracting(d -> d.get("_id")).containsExactly(1_234L);
            assertEveryKeyIsStillUnique(reopened);
        } finally {
            reopened.close();
        }
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
            assertThat(backend.getMvStore().<String, Integer>openMap(OrderedIndexDatabase.ORDERED_MAPS))
                    .containsKey(INDEX_MAP);
            assertThat(find(backend, key(42))).extracting(d -> d.get("_id")).containsExactly(42L);
            assertEveryKeyIsStillUnique(backend);
        } finally {
            backend.close();
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
