package org.ccmledger.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.bson.Document;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.MongoEventStorageEngine;
import org.ccmledger.support.QuietLogs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * Where one ledger stops, by simulation (docs/scaling.md): N tenants × M writers appending through the store, against
 * the ceiling of the one global-index counter document every commit increments, and the same writers split over two
 * ledgers that each have their own counter (a ledger database per practice group).
 * <p>
 * Not part of the normal build: {@code ./mvnw test -Pbenchmark -Dtest=ScalingSimulationBenchmark}. Prints a table and
 * writes it to {@code target/scaling-simulation.md}; asserts only that no acknowledged event is missing. Properties:
 * {@code sim.seconds} per scenario (default 5), {@code sim.tenants} (default 20), {@code sim.backend} {@code h2} or
 * {@code memory} (default h2).
 */
@ExtendWith(QuietLogs.class)
@Tag("benchmark")
class ScalingSimulationBenchmark {

    private static final Duration SCENARIO = Duration.ofSeconds(Integer.getInteger("sim.seconds", 5));
    private static final int TENANTS = Integer.getInteger("sim.tenants", 20);
    private static final String BACKEND = System.getProperty("sim.backend", "h2");
    private static final int[] WRITERS = {1, 2, 4, 8};
    private static final Path RESULTS = Path.of("target", "scaling-simulation.md");

    /** The payload of a simulated event: a tenant's care-minute entry, about the size of a real one. */
    public record Tick(String tenant, long n, String note) {
    }

    @TempDir
    Path dir;

    private LedgerFixture ledger(String name) {
        return "memory".equals(BACKEND) ? LedgerFixture.inMemory() : LedgerFixture.onH2(dir.resolve(name), true);
    }

    @Test
    void simulate() throws Exception {
        List<String> rows = new ArrayList<>();
        rows.add("| scenario | writers | events/s | vs. one ledger | vs. the counter alone |");
        rows.add("|---|---:|---:|---:|---:|");
        // warm-up, not recorded: the first scenario would otherwise pay for the JIT
        try (LedgerFixture warm = ledger("warm-up")) {
            MongoEventStorageEngine engine = warm.engine();
            run(2, w -> engine, "warm", warm);
            counterAlone(warm, 2);
        }
        for (int writers : WRITERS) {
            double counter;
            double one;
            double split;
            try (LedgerFixture a = ledger("counter-" + writers)) {
                counter = counterAlone(a, writers);
            }
            try (LedgerFixture a = ledger("one-" + writers)) {
                MongoEventStorageEngine engine = a.engine();
                one = run(writers, w -> engine, "one", a);
            }
            if (writers == 1) {
                split = Double.NaN; // one writer cannot be split over two ledgers
            } else {
                try (LedgerFixture a = ledger("split-a-" + writers);
                     LedgerFixture b = ledger("split-b-" + writers)) {
                    MongoEventStorageEngine ea = a.engine();
                    MongoEventStorageEngine eb = b.engine();
                    // tenants (and so writers) partitioned over the two ledgers, each with its own counter
                    split = run(writers, w -> w % 2 == 0 ? ea : eb, "split", a, b);
                }
            }
            rows.add(row("the counter alone (findOneAndUpdate $inc)", writers, counter, Double.NaN, 1.0));
            rows.add(row("one ledger, " + TENANTS + " tenants", writers, one, 1.0, one / counter));
            if (!Double.isNaN(split)) {
                rows.add(row("two ledgers (tenants split), each its own counter", writers, split, split / one,
                             split / counter));
            }
        }
        String table = String.join("\n", rows);
        String header = "Scaling simulation, " + BACKEND + " backend, " + SCENARIO.toSeconds() + " s per scenario, "
                        + Runtime.getRuntime().availableProcessors() + " cores, 1 event per commit\n\n";
        System.out.println(header + table);
        try {
            Files.createDirectories(RESULTS.getParent());
            Files.writeString(RESULTS, header + table + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Increments of the global-index counter alone: the one document every commit of a ledger writes. */
    private static double counterAlone(LedgerFixture ledger, int writers) throws Exception {
        MongoCollection<Document> counters = ledger.database().getCollection("sim_counter");
        counters.insertOne(new Document("_id", "globalIndex").append("value", 0L));
        AtomicLong done = new AtomicLong();
        long nanos = timed(writers, w -> {
            counters.findOneAndUpdate(Filters.eq("_id", "globalIndex"), Updates.inc("value", 1L),
                                      new FindOneAndUpdateOptions());
            done.incrementAndGet();
        });
        long value = counters.find().first().get("value", Number.class).longValue();
        assertEquals(done.get(), value, "every increment counted once");
        return done.get() * 1e9 / nanos;
    }

    /** Writers appending one event per commit, each to its own aggregates of its tenants. */
    private static double run(int writers, IntFunction<MongoEventStorageEngine> engineOf, String name,
                              LedgerFixture... ledgers) throws Exception {
        long[] sequence = new long[writers];
        long[] aggregate = new long[writers];
        AtomicLong appended = new AtomicLong();
        String note = "x".repeat(120);
        long nanos = timed(writers, w -> {
            String tenant = "tenant-" + ((w + writers * (aggregate[w] % Math.max(1, TENANTS / writers))) % TENANTS);
            String id = name + "-" + tenant + "/pt-" + w + "-" + aggregate[w];
            engineOf.apply(w).appendEvents(List.of(new GenericDomainEventMessage<>(
                    "Patient", id, sequence[w], new Tick(tenant, sequence[w], note))));
            appended.incrementAndGet();
            if (++sequence[w] == 20) {
                sequence[w] = 0;
                aggregate[w]++;
            }
        });
        long stored = 0;
        for (LedgerFixture ledger : ledgers) {
            stored += ledger.collections().events().countDocuments(Filters.exists("tombstone", false));
        }
        assertEquals(appended.get(), stored, "every acknowledged event is stored");
        return appended.get() * 1e9 / nanos;
    }

    /** Runs {@code step} on {@code writers} threads, each in a loop, for one scenario; the nanoseconds taken. */
    private static long timed(int writers, WriterStep step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long deadline = System.nanoTime() + SCENARIO.toNanos();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    step.run(writer);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        long nanos = System.nanoTime() - start;
        pool.shutdown();
        return nanos;
    }

    @FunctionalInterface
    private interface WriterStep {
        void run(int writer) throws Exception;
    }

    private static String row(String scenario, int writers, double rate, double vsOne, double vsCounter) {
        return String.format(Locale.ROOT, "| %s | %d | %,.0f | %s | %.2f× |", scenario, writers, rate,
                             Double.isNaN(vsOne) ? "—" : String.format(Locale.ROOT, "%.2f×", vsOne), vsCounter);
    }
}
