package org.ccmledger.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ccmledger.platform.mongo.DurableH2Backend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * What a guarded update costs on the embedded store as its collection grows: {@code {$and: [{_id: x}, {sequence:
 * {$lt: n}}]}}, as {@code Filters.and} writes the read models' and the token store's conditional writes, against the
 * plain key update {@code {_id: x}} (the baseline of the ratio) and against an update whose filter no index serves
 * (what every guarded update cost before the unique indexes served them: a read of the whole collection). Writes
 * with {@code j: false}, so no commit is timed. Prints updates per second; asserts nothing about time.
 * {@code ./mvnw test -Pbenchmark -Dtest=GuardedUpdateBenchmark [-Dguarded.sizes=1000,10000,100000]}.
 */
@Tag("benchmark")
class GuardedUpdateBenchmark {

    private static final int UPDATES = 2_000;

    @TempDir
    Path dir;

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @Test
    void guardedUpdatesAsTheCollectionGrows() {
        System.out.printf(Locale.ROOT, "%nGuarded updates on the embedded store (H2, j: false), %d each:%n", UPDATES);
        for (String size : System.getProperty("guarded.sizes", "1000,10000,100000").split(",")) {
            int documents = Integer.parseInt(size.trim());
            DurableH2Backend backend = DurableH2Backend.open(dir.resolve("guarded-" + documents + ".mv.db"), false,
                                                             null);
            try {
                fill(backend, documents);
                rate(backend, documents, UPDATES, i -> new Document("_id", "e" + i)); // warm-up
                double byKey = rate(backend, documents, UPDATES, i -> new Document("_id", "e" + i));
                long scansBefore = scans(backend);
                double guarded = rate(backend, documents, UPDATES, i -> new Document("$and", List.of(
                        new Document("_id", "e" + i), new Document("sequence", new Document("$lt", Long.MAX_VALUE)))));
                long guardedScans = scans(backend) - scansBefore;
                // fewer: each reads the whole collection
                double scanned = rate(backend, documents, Math.max(5, Math.min(UPDATES, 2_000_000 / documents)),
                                      i -> new Document("entry", "e" + i));
                System.out.printf(Locale.ROOT, "  %,9d documents: by key %,8.0f/s; guarded (key and condition) "
                                               + "%,8.0f/s = %.2fx by key; filter no index serves %,8.0f/s = %.4fx "
                                               + "by key; whole-collection reads by the guarded updates: %d%n", documents, byKey, guarded,
                                  guarded / byKey, scanned, scanned / byKey, guardedScans);
            } finally {
                backend.close();
            }
        }
    }

    /** The embedded server's count of filtered scans of the collection ({@code ccmScans}). */
    private long scans(DurableH2Backend backend) {
        Document answer = backend.handleCommand(channel, "admin", "ccmScans", new Document("ccmScans", 1));
        Object count = ((Document) answer.get("filtered")).get("db.entries");
        return count == null ? 0 : ((Number) count).longValue();
    }

    private void fill(DurableH2Backend backend, int documents) {
        for (int from = 0; from < documents; from += 1_000) {
            List<Document> batch = new ArrayList<>();
            for (int i = from; i < Math.min(documents, from + 1_000); i++) {
                batch.add(new Document("_id", "e" + i).append("entry", "e" + i).append("sequence", 0L)
                                                      .append("minutes", 20).append("performer", "clinical staff"));
            }
            backend.handleCommand(channel, "db", "insert", new Document("insert", "entries").append("documents",
                                                                                                   batch));
        }
    }

    /** Updates per second: {@code updates} updates with filters {@code filter(i)}, spread over the collection. */
    private double rate(DurableH2Backend backend, int documents, int updates,
                        java.util.function.IntFunction<Document> filter) {
        long sequence = System.nanoTime();
        long start = System.nanoTime();
        for (int u = 0; u < updates; u++) {
            int i = (int) ((u * 7_919L) % documents);
            backend.handleCommand(channel, "db", "update", new Document("update", "entries")
                    .append("updates", List.of(new Document("q", filter.apply(i))
                            .append("u", new Document("$set", new Document("sequence", sequence + u)))))
                    .append("writeConcern", new Document("j", false)));
        }
        return updates / ((System.nanoTime() - start) / 1e9);
    }
}
