package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The embedded store's documents written as BSON ({@link BsonDocumentType}): every value the wire protocol carries
 * comes back as it was written, read back by MongoDB's own BSON reader too; a value BSON cannot carry falls back to
 * H2's serialization; a store written before (Java serialization, by mongo-java-server's own backend) is rewritten
 * once when opened, every document found again, and a rewrite interrupted by a crash is done again.
 */
class BsonDocumentTypeTest {

    private static final int DOCUMENTS = 3_000;
    private static final String DATA_MAP = "databases.db.items";

    @TempDir
    Path dir;

    private final EmbeddedChannel channel = new EmbeddedChannel();

    private static Document everyWireType() {
        return new Document("_id", new ObjectId())
                .append("text", "Ünïcode ✓ text")
                .append("int", 42)
                .append("long", 1L << 40)
                .append("double", -0.25)
                .append("yes", true)
                .append("nothing", null)
                .append("at", Instant.ofEpochMilli(1_767_225_600_123L))
                .append("decimal", new Decimal128(new BigDecimal("12.3400")))
                .append("binary", new BinData(new byte[] {1, 2, 3, (byte) 0xff}))
                .append("uuid", UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301"))
                .append("timestamp", new BsonTimestamp(Instant.ofEpochSecond(1_767_225_600L), 7))
                .append("min", MinKey.getInstance())
                .append("max", MaxKey.getInstance())
                .append("list", List.of(1, "two", new Document("three", 3L), List.of()))
                .append("nested", new Document("deeper", new Document("deepest", List.of(Instant.EPOCH))));
    }

    private static byte[] written(Document document) {
        WriteBuffer buffer = new WriteBuffer();
        BsonDocumentType.INSTANCE.write(buffer, document);
        ByteBuffer bytes = buffer.getBuffer();
        bytes.flip();
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return copy;
    }

    @Test
    void everyValueTheWireCarriesComesBackAsWritten() {
        Document document = everyWireType();
        byte[] bytes = written(document);
        assertThat(bytes[0]).isEqualTo(BsonDocumentType.BSON);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Document read = BsonDocumentType.INSTANCE.read(in);
        assertThat(read).isEqualTo(document);
        assertThat(read.get("int")).isInstanceOf(Integer.class);
        assertThat(read.get("long")).isInstanceOf(Long.class);
        assertThat(new ArrayList<>(read.keySet())).containsExactlyElementsOf(document.keySet());
        assertThat(in.remaining()).as("the value's bytes end where its BSON ends").isZero();
    }

    @Test
    void theBytesAreBsonAsMongoDbsOwnReaderReadsThem() {
        byte[] bytes = written(everyWireType());
        org.bson.RawBsonDocument raw = new org.bson.RawBsonDocument(bytes, 1, bytes.length - 1);
        assertThat(raw.getString("text").getValue()).isEqualTo("Ünïcode ✓ text");
        assertThat(raw.getInt64("long").getValue()).isEqualTo(1L << 40);
        assertThat(raw.getDateTime("at").getValue()).isEqualTo(1_767_225_600_123L);
        assertThat(raw.getDocument("nested").getDocument("deeper").getArray("deepest")).hasSize(1);
    }

    @Test
    void aValueBsonCannotCarryIsWrittenByH2sSerialization() {
        Document document = new Document("_id", 1L).append("big", new BigInteger("123456789012345678901234567890"));
        byte[] bytes = written(document);
        assertThat(bytes[0]).isEqualTo(BsonDocumentType.SERIALIZED);
        assertThat(BsonDocumentType.INSTANCE.read(ByteBuffer.wrap(bytes))).isEqualTo(document);
    }

    @Test
    void manyDocumentsInOnePageReadBackInOrder() {
        WriteBuffer buffer = new WriteBuffer();
        Document[] documents = new Document[50];
        for (int i = 0; i < documents.length; i++) {
            documents[i] = new Document("_id", (long) i).append("payload", "x".repeat(i * 13));
        }
        BsonDocumentType.INSTANCE.write(buffer, documents, documents.length);
        ByteBuffer bytes = buffer.getBuffer();
        bytes.flip();
        Document[] read = BsonDocumentType.INSTANCE.createStorage(documents.length);
        BsonDocumentType.INSTANCE.read(bytes, read, documents.length);
        assertThat(read).containsExactly(documents);
    }

    @Test
    void theSameDocumentsTakeLessFileAsBson() throws Exception {
        Path before = dir.resolve("serialized.mv.db");
        writeAsBefore(before);
        Path bson = dir.resolve("bson.mv.db");
        DurableH2Backend backend = DurableH2Backend.open(bson, false, null);
        try {
            fill(backend);
            backend.getMvStore().commit();
        } finally {
            backend.close();
        }
        System.out.printf("%d documents: a store file of %d bytes with Java serialization, %d as BSON%n",
                          DOCUMENTS, Files.size(before), Files.size(bson));
        assertThat(Files.size(bson)).isLessThan(Files.size(before));
    }

    @Test
    void aStoreWrittenWithJavaSerializationIsRewrittenOnceAndFindsEveryDocument() {
        Path file = dir.resolve("old.mv.db");
        writeAsBefore(file);

        DurableH2Backend backend = DurableH2Backend.open(file, false, null);
        try {
            assertEveryDocumentIsFound(backend);
            assertThat(backend.getMvStore().<String, Integer>openMap(OrderedIndexDatabase.BSON_MAPS))
                    .containsKey(DATA_MAP);
            assertThat(backend.getMvStore().hasUnsavedChanges()).isFalse();
        } finally {
            backend.close();
        }
        try (MVStore store = StoreFile.open(file, null, true)) {
            MVMap<Object, Document> bson = store.openMap(DATA_MAP,
                    new MVMap.Builder<Object, Document>().valueType(BsonDocumentType.INSTANCE));
            assertThat(bson.get(17L)).isEqualTo(document(17));
            assertThat(store.getMapNames()).noneMatch(name -> name.startsWith("ccm-rewriting:"));
        }
        DurableH2Backend reopened = DurableH2Backend.open(file, false, null);
        try {
            assertEveryDocumentIsFound(reopened);
        } finally {
            reopened.close();
        }
    }

    @Test
    void aRewriteInterruptedBeforeItsSwapIsDoneAgain() {
        Path file = dir.resolve("old.mv.db");
        writeAsBefore(file);
        // what a crash after some of the copy's commits leaves: the old map and part of a copy
        try (MVStore store = StoreFile.open(file, null, false)) {
            MVMap<Object, Document> partial = store.openMap("ccm-rewriting:" + DATA_MAP,
                    new MVMap.Builder<Object, Document>().valueType(BsonDocumentType.INSTANCE));
            partial.put(1L, new Document("_id", 1L).append("half", "done"));
            store.commit();
        }
        DurableH2Backend backend = DurableH2Backend.open(file, false, null);
        try {
            assertEveryDocumentIsFound(backend);
            assertThat(backend.getMvStore().getMapNames()).noneMatch(name -> name.startsWith("ccm-rewriting:"));
        } finally {
            backend.close();
        }
    }

    @Test
    void aNewStoresDocumentsAreBsonFromTheStart() {
        DurableH2Backend backend = DurableH2Backend.open(dir.resolve("new.mv.db"), false, null);
        try {
            fill(backend);
            assertThat(backend.getMvStore().<String, Integer>openMap(OrderedIndexDatabase.BSON_MAPS))
                    .containsKey(DATA_MAP);
            assertEveryDocumentIsFound(backend);
        } finally {
            backend.close();
        }
    }

    @Test
    void aDocumentReadOrWrittenIsWrittenAgainFromTheBsonKeptWithIt() {
        Document document = everyWireType();
        byte[] first = written(document);
        Document read = BsonDocumentType.INSTANCE.read(ByteBuffer.wrap(first));
        assertThat(written(read)).isEqualTo(first);
        // a document changed in place (which the embedded server never does: an update stores a new document) is
        // written as it was read, so what is written is the bytes kept, not a new encoding
        read.put("text", "changed in place");
        assertThat(written(read)).isEqualTo(first);
        assertThat(written(document)).isEqualTo(first);
        // an updated document is a new one, written from its content
        Document updated = read.cloneDeeply();
        assertThat(BsonDocumentType.INSTANCE.read(ByteBuffer.wrap(written(updated))).get("text"))
                .isEqualTo("changed in place");
    }

    @Test
    void documentsUpdatedOverManyCommitsAmongUnchangedNeighboursAreAllFoundAfterReopening() {
        Path file = dir.resolve("updated.mv.db");
        DurableH2Backend backend = DurableH2Backend.open(file, false, null);
        try {
            fill(backend);
            backend.getMvStore().commit();
            for (int round = 0; round < 5; round++) {
                for (int i = round; i < DOCUMENTS; i += 7) {
                    backend.handleCommand(channel, "db", "update", new Document("update", "items").append(
                            "updates", List.of(new Document("q", new Document("_id", (long) i))
                                                       .append("u", new Document("$set", new Document("round", round)
                                                               .append("entry.n", -i))))));
                }
                backend.getMvStore().commit();
            }
        } finally {
            backend.close();
        }
        DurableH2Backend reopened = DurableH2Backend.open(file, false, null);
        try {
            for (int i = 0; i < DOCUMENTS; i++) {
                Document expected = document(i);
                int lastRound = -1;
                for (int round = 0; round < 5; round++) {
                    if (i >= round && (i - round) % 7 == 0) {
                        lastRound = round;
                    }
                }
                if (lastRound >= 0) {
                    expected.put("round", lastRound);
                    ((Document) expected.get("entry")).put("n", -i);
                }
                assertThat(find(reopened, i)).as("document %d", i).isEqualTo(expected);
            }
        } finally {
            reopened.close();
        }
    }

    @SuppressWarnings("unchecked")
    private Document find(H2Backend backend, int id) {
        Document answer = backend.handleCommand(channel, "db", "find",
                new Document("find", "items").append("filter", new Document("_id", (long) id)));
        List<Document> found = (List<Document>) ((Document) answer.get("cursor")).get("firstBatch");
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** A store as every earlier version wrote it: mongo-java-server's own H2 backend, Java serialization. */
    private void writeAsBefore(Path file) {
        H2Backend old = new H2Backend(StoreFile.open(file, null, false));
        fill(old);
        old.getMvStore().commit();
        old.close();
    }

    private void fill(H2Backend backend) {
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            documents.add(document(i));
        }
        backend.handleCommand(channel, "db", "insert", new Document("insert", "items").append("documents", documents));
    }

    private static Document document(int i) {
        return new Document("_id", (long) i).append("patient", "patient-" + i)
                                            .append("minutes", List.of(i % 60, 20))
                                            .append("at", Instant.ofEpochMilli(1_767_225_600_000L + i))
                                            .append("entry", new Document("role", "CLINICAL_STAFF").append("n", i));
    }

    @SuppressWarnings("unchecked")
    private void assertEveryDocumentIsFound(H2Backend backend) {
        for (int i = 0; i < DOCUMENTS; i += 11) {
            Document answer = backend.handleCommand(channel, "db", "find",
                    new Document("find", "items").append("filter", new Document("_id", (long) i)));
            List<Document> found = (List<Document>) ((Document) answer.get("cursor")).get("firstBatch");
            assertThat(found).containsExactly(document(i));
        }
        Document count = backend.handleCommand(channel, "db", "count", new Document("count", "items"));
        assertThat(((Number) count.get("n")).intValue()).isEqualTo(DOCUMENTS);
    }
}
