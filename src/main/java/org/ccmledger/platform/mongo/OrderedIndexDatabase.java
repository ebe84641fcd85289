package org.ccmledger.platform.mongo;

import java.util.List;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A database of the embedded store whose unique indexes are ordered by {@link IndexKeyOrder} and written by
 * {@link IndexKeyType}, and whose collections' documents are written as BSON ({@link BsonDocumentType}); each map
 * written otherwise by an earlier version is rewritten once, the first time this version opens it.
 * <p>
 * An index map written by an earlier version (ordered by serialized bytes, or in this order with its keys
 * Java-serialized) is copied, in the file's order, into a new map of the new type, which then takes the old one's name,
 * and the map's name is written to {@value #COMPACT_INDEX_MAPS}. The copy, the swap and that mark are committed together
 * by the store's next commit ({@link DurableH2Backend} commits once it has opened the store), so a crash leaves the old
 * index in place and the next start rewrites it again. A file that has been opened by this version must not be opened
 * by an earlier one, which would read these maps in another form (docs/operations.md, upgrades).
 */
final class OrderedIndexDatabase extends H2Database {

    private static final Logger log = LoggerFactory.getLogger(OrderedIndexDatabase.class);

    /**
     * The MVStore map naming each index map that is in {@link IndexKeyOrder} and written by {@link IndexKeyType}.
     * (An earlier version named those in its order in {@code ccm-ordered-indexes}, with the keys Java-serialized.)
     */
    static final String COMPACT_INDEX_MAPS = "ccm-compact-index-keys"; // no dot: no database's maps start so
    private static final String REWRITING_INDEX = ".rewriting";
    /** The MVStore map naming each collection's documents map whose values are {@link BsonDocumentType}. */
    static final String BSON_MAPS = "ccm-bson-documents";
    /** Before the name of a documents map being rewritten: no collection's map starts so (they start "databases."). */
    private static final String REWRITING = "ccm-rewriting:";
    private static final int COPY_COMMIT = 20_000;
    private static final String DATA_MAPS = "databases.";
    private static final String META_MAPS = "meta.";

    /** The fields' values while the super constructor opens the existing collections and indexes (not yet set). */
    private record Opening(MVStore store, StoreScans scans) {
    }

    private static final ThreadLocal<Opening> OPENING = new ThreadLocal<>();

    private final MVStore store;
    private final StoreScans scans;

    private OrderedIndexDatabase(String name, MVStore store, CursorRegistry cursors, StoreScans scans) {
        super(name, store, cursors);
        this.store = store;
        this.scans = scans;
    }

    static OrderedIndexDatabase open(String name, MVStore store, CursorRegistry cursors, StoreScans scans) {
        OPENING.set(new Opening(store, scans));
        try {
            return new OrderedIndexDatabase(name, store, cursors, scans);
        } finally {
            OPENING.remove();
        }
    }

    private Opening opening() {
        return store != null ? new Opening(store, scans) : OPENING.get();
    }

    /** Collections as mongo-java-server's H2 database opens them (the same maps), with their scans counted. */
    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        Opening opening = opening();
        MVStore mvStore = opening.store();
        String namespace = getFullCollectionNamespace(collectionName);
        // the names mongo-java-server's own H2Database gives a collection's maps
        return opening.scans().collection(
                this, collectionName, options, documentsMap(mvStore, DATA_MAPS + namespace),
                mvStore.openMap(META_MAPS + namespace), cursorRegistry);
    }

    /**
     * A collection's documents map, its values written as BSON ({@link BsonDocumentType}). A map written by an earlier
     * version (Java serialization) is copied once into a new map of that type, in the file's order, which then takes
     * the old one's name; the name is written to {@value #BSON_MAPS}. The copy is committed every
     * {@value #COPY_COMMIT} documents so that a large collection is not held in memory; the swap and the mark are
     * committed by the store's next commit, so a crash before it leaves the old map in place (and a partial copy,
     * which the next start removes and copies again).
     */
    private static MVMap<Object, Document> documentsMap(MVStore store, String mapName) {
        return rewrittenOnce(store, mapName, BSON_MAPS, REWRITING + mapName, asBson(), COPY_COMMIT,
                             "Rewrote a collection of the embedded store as BSON ({} entries, once)");
    }

    private static MVMap.Builder<Object, Document> asBson() {
        return new MVMap.Builder<Object, Document>().valueType(BsonDocumentType.INSTANCE);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                    boolean sparse) {
        MVStore mvStore = opening().store();
        // the name mongo-java-server's own H2Database gives an index map, which its drop and rename use
        String mapName = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
        return new OrderedUniqueIndex(indexMap(mvStore, mapName), indexName, keys, sparse);
    }

    private static MVMap<KeyValue, Object> indexMap(MVStore store, String mapName) {
        return rewrittenOnce(store, mapName, COMPACT_INDEX_MAPS, mapName + REWRITING_INDEX, compactInOrder(), 0,
                             "Rewrote an index of the embedded store in its order and compact form ({} entries, "
                             + "once)");
    }

    /**
     * The map {@code mapName} as {@code type} reads it: opened so when its name is in {@code marks} or it is new (and
     * then marked); otherwise, written by an earlier version in H2's default types, copied once in the file's order
     * into {@code copyName} under {@code type} (committed every {@code commitEvery} entries when that is positive),
     * which then takes the old map's name and is marked. The swap and the mark are committed by the store's next
     * commit: a crash before it leaves the old map, and the next start removes the partial copy and copies again.
     */
    @SuppressWarnings("unchecked")
    private static <K, V> MVMap<K, V> rewrittenOnce(MVStore store, String mapName, String marks, String copyName,
                                                   MVMap.Builder<K, V> type, int commitEvery, String logged) {
        MVMap<String, Integer> marked = store.openMap(marks);
        if (marked.containsKey(mapName) || !store.hasMap(mapName)) {
            marked.put(mapName, 1);
            return store.openMap(mapName, type);
        }
        MVMap<Object, Object> old = store.openMap(mapName);
        if (store.hasMap(copyName)) {
            store.removeMap(copyName);
        }
        MVMap<K, V> copy = store.openMap(copyName, type);
        long copied = 0;
        // a cursor from the first key walks the tree as it lies in the file: it compares no keys
        Cursor<Object, Object> cursor = old.cursor(null);
        while (cursor.hasNext()) {
            K key = (K) cursor.next();
            copy.put(key, (V) cursor.getValue());
            copied++;
            if (commitEvery > 0 && copied % commitEvery == 0) {
                store.commit();
            }
        }
        if (copy.sizeAsLong() != old.sizeAsLong() || copied != old.sizeAsLong()) {
            throw new IllegalStateException("a map of the embedded store could not be rewritten: "
                    + old.sizeAsLong() + " entries became " + copy.sizeAsLong());
        }
        store.removeMap(old);
        store.renameMap(copy, mapName);
        marked.put(mapName, 1);
        log.info(logged, copied);
        return copy;
    }

    private static MVMap.Builder<KeyValue, Object> compactInOrder() {
        return new MVMap.Builder<KeyValue, Object>().keyType(new IndexKeyType()).valueType(new IndexKeyType());
    }
}
