package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * A query that names a unique index's keys by exact values and adds other conditions (a guarded update such as
 * {@code {_id: x, sequence: {$lt: n}}}) is served by the index ({@link OrderedUniqueIndex}) instead of a scan of the
 * whole collection, with exactly the result the scan gave: the same documents found, updated, upserted or refused.
 */
class KeyedQueryTest {

    private static final int DOCUMENTS = 500;

    @TempDir
    Path dir;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private DurableH2Backend backend;

    @BeforeEach
    void fill() {
        backend = DurableH2Backend.open(dir.resolve("keyed.mv.db"), false, null);
        backend.handleCommand(channel, "db", "createIndexes", new Document("createIndexes", "items").append("indexes",
                List.of(new Document("key", new Document("key", 1)).append("name", "key_1").append("unique", true))));
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            documents.add(new Document("_id", "s" + i).append("key", "k" + i).append("sequence", (long) (i % 10)));
        }
        backend.handleCommand(channel, "db", "insert", new Document("insert", "items").append("documents", documents));
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void theIdIndexServesAQueryOnItsKeyWithMoreConditionsButNotARangeOnTheKey() {
        Index<?> id = index("_id_");
        assertThat(id.canHandle(new Document("_id", "s7").append("sequence", new Document("$lt", 9L)))).isTrue();
        assertThat(id.canHandle(new Document("_id", new Document("$in", List.of("s1", "s2")))
                                        .append("sequence", 1L))).isTrue();
        assertThat(id.canHandle(new Document("_id", new Document("$gt", "s1")).append("sequence", 1L))).isFalse();
        assertThat(id.canHandle(new Document("sequence", 1L))).isFalse();
        assertThat(index("key_1").canHandle(new Document("key", "k3").append("sequence", 3L))).isTrue();
        // as the Java driver writes Filters.and(eq("_id", …), or(…))
        assertThat(id.canHandle(and(new Document("_id", "s7"), new Document("$or", List.of(
                new Document("owner", null), new Document("sequence", new Document("$lt", 3L))))))).isTrue();
        assertThat(id.canHandle(and(new Document("sequence", 1L), and(new Document("_id", "s1"))))).isTrue();
        assertThat(id.canHandle(new Document("$or", List.of(new Document("_id", "s1"), new Document("_id", "s2")))))
                .isFalse();
        // a pattern or an array is not one key: left to the scan, which matches them as MongoDB does
        assertThat(id.canHandle(new Document("_id", new Document("$in", List.of(
                new de.bwaldvogel.mongo.bson.BsonRegularExpression("s1")))).append("sequence", 1L))).isFalse();
        assertThat(id.canHandle(new Document("_id", List.of("s1", "s2")).append("sequence", 1L))).isFalse();
    }

    @Test
    void aKeyedQueryWithMoreConditionsFindsWhatAScanFinds() {
        List<Document> queries = List.of(
                new Document("_id", "s7").append("sequence", new Document("$lt", 9L)),
                new Document("_id", "s7").append("sequence", new Document("$lt", 7L)),
                new Document("_id", "absent").append("sequence", new Document("$lt", 9L)),
                new Document("_id", new Document("$in", List.of("s1", "s2", "s13"))).append("sequence", 3L),
                new Document("_id", new Document("$gt", "s98")).append("sequence", 9L),
                new Document("key", "k42").append("sequence", 2L),
                new Document("key", "k42").append("sequence", 3L),
                and(new Document("_id", "s17"), new Document("sequence", new Document("$lt", 8L))),
                and(new Document("_id", "s17"), new Document("sequence", new Document("$lt", 7L))),
                and(new Document("_id", "s17"), new Document("_id", "s18")));
        List<Document> all = find(new Document());
        assertThat(all).hasSize(DOCUMENTS);
        for (Document query : queries) {
            assertThat(ids(find(query))).as("%s", query).isEqualTo(ids(all.stream().filter(matching(query)).toList()));
        }
    }

    @Test
    void aGuardedUpsertMovesForwardOnlyAndIsRefusedAsADuplicateKeyOtherwise() {
        Document forward = update(new Document("_id", "s5").append("sequence", new Document("$lt", 8L)), 8L);
        assertThat(forward.get("nModified")).isEqualTo(1);
        assertThat(find(new Document("_id", "s5"))).extracting(d -> d.get("sequence")).containsExactly(8L);

        Document behind = update(and(new Document("_id", "s5"), new Document("sequence", new Document("$lt", 6L))),
                                 6L);
        assertThat(String.valueOf(behind.get("writeErrors"))).contains("E11000");
        assertThat(find(new Document("_id", "s5"))).extracting(d -> d.get("sequence")).containsExactly(8L);

        Document created = update(new Document("_id", "new").append("sequence", new Document("$lt", 1L)), 1L);
        assertThat(String.valueOf(created.get("upserted"))).contains("new");
        assertThat(find(new Document("_id", "new"))).extracting(d -> d.get("sequence")).containsExactly(1L);
    }

    @Test
    void anInQueryFindsWhatTheLibrarysOwnIndexFindsEachDocumentOnceInTheIndexOrder() {
        MemoryBackend library = new MemoryBackend();
        List<Document> items = find(new Document());
        library.handleCommand(channel, "db", "createIndexes", new Document("createIndexes", "items").append("indexes",
                List.of(new Document("key", new Document("key", 1)).append("name", "key_1").append("unique", true))));
        library.handleCommand(channel, "db", "insert", new Document("insert", "items").append("documents", items));
        for (AbstractMongoBackend server : List.of(backend, library)) {
            List<Document> numbered = new ArrayList<>();
            for (long i = 1; i <= 20; i++) {
                numbered.add(new Document("_id", i).append("sequence", i));
            }
            server.handleCommand(channel, "db", "insert", new Document("insert", "numbers").append("documents",
                                                                                                    numbered));
        }
        Map<Document, String> queries = new LinkedHashMap<>();
        queries.put(new Document("_id", in("s3", "s1", "s3", "absent", "s10", "s299")), "items");
        queries.put(new Document("key", in("k42", "k4", "k42")), "items");
        queries.put(new Document("_id", in("s5")).append("sequence", 5L), "items");
        // a number is kept as a double where one holds it: 3, 3L and 3.0 are one key
        queries.put(new Document("_id", in(3, 3L, 3.0, 7L, 25L, 1, -0.0)), "numbers");
        queries.forEach((query, collection) -> assertThat(ids(backend, collection, query)).as("%s", query)
                .isEqualTo(ids(library, collection, query)).isNotEmpty().doesNotHaveDuplicates());
        assertThat(ids(backend, "numbers", new Document("_id", in(7L, 3, 3L, 3.0, 25L, 1))))
                .containsExactly(1L, 3L, 7L);
        library.close();
    }

    private List<Object> ids(AbstractMongoBackend server, String collection, Document query) {
        return find(server, collection, query).stream().map(d -> d.get("_id")).toList();
    }

    private static Document in(Object... values) {
        return new Document("$in", List.of(values));
    }

    @Test
    void theStoreCountsTheQueriesItAnsweredByReadingAWholeCollection() {
        long before = scans("filtered");
        find(new Document("_id", "s3").append("sequence", 3L));
        find(and(new Document("_id", "s3"), new Document("sequence", 3L)));
        update(new Document("_id", "s4").append("sequence", new Document("$lt", 9L)), 9L);
        find(new Document("key", new Document("$in", List.of("k1", "k2"))));
        assertThat(scans("filtered")).as("key lookups").isEqualTo(before);

        find(new Document("sequence", 3L));
        update(new Document("sequence", new Document("$lt", 0L)), 0L);
        assertThat(scans("filtered")).isEqualTo(before + 2);

        long everything = scans("everything");
        find(new Document());
        assertThat(scans("everything")).isEqualTo(everything + 1);
        assertThat(scans("filtered")).isEqualTo(before + 2);
    }

    /** The embedded server's {@code ccmScans} count of {@code db.items} of one kind. */
    private long scans(String kind) {
        Document answer = backend.handleCommand(channel, "admin", "ccmScans", new Document("ccmScans", 1));
        Object count = ((Document) answer.get(kind)).get("db.items");
        return count == null ? 0 : ((Number) count).longValue();
    }

    private static Document and(Document... parts) {
        return new Document("$and", List.of(parts));
    }

    private Index<?> index(String name) {
        return backend.resolveDatabase("db").resolveCollection("items", true).getIndexes().stream()
                      .filter(index -> index.getName().equals(name)).findFirst().orElseThrow();
    }

    private Document update(Document query, long sequence) {
        return backend.handleCommand(channel, "db", "update", new Document("update", "items").append("updates",
                List.of(new Document("q", query).append("u", new Document("$set", new Document("sequence", sequence)))
                                                .append("upsert", true))));
    }

    private List<Document> find(Document filter) {
        return find(backend, "items", filter);
    }

    @SuppressWarnings("unchecked")
    private List<Document> find(AbstractMongoBackend server, String collection, Document filter) {
        Document answer = server.handleCommand(channel, "db", "find", new Document("find", collection)
                .append("filter", filter).append("batchSize", DOCUMENTS + 10));
        return (List<Document>) ((Document) answer.get("cursor")).get("firstBatch");
    }

    private static List<Object> ids(List<Document> documents) {
        return documents.stream().map(d -> d.get("_id")).sorted().toList();
    }

    /** The test's own reading of the few query forms above, independent of the server's matcher. */
    private static Predicate<Document> matching(Document query) {
        return document -> query.entrySet().stream().allMatch(condition -> {
            if (condition.getKey().equals("$and")) {
                return ((List<?>) condition.getValue()).stream().allMatch(part -> matching((Document) part)
                                                                                     .test(document));
            }
            Object actual = document.get(condition.getKey());
            if (!(condition.getValue() instanceof Document operator)) {
                return condition.getValue().equals(actual);
            }
            Object operand = operator.get(operator.keySet().iterator().next());
            return switch (operator.keySet().iterator().next()) {
                case "$lt" -> actual != null && ((Long) actual) < (Long) operand;
                case "$gt" -> actual != null && ((String) actual).compareTo((String) operand) > 0;
                case "$in" -> ((List<?>) operand).contains(actual);
                default -> throw new IllegalArgumentException(condition.toString());
            };
        });
    }
}
