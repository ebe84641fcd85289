package org.ccmledger.benchmark;

import org.junit.jupiter.api.extension.ExtendWith;
import org.ccmledger.support.QuietLogs;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.ledger.MongoEventStorageEngine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;

/**
 * Throughput of the ledger's event store against the raw MongoDB driver on the same embedded server, for the durable
 * H2 file backend (the production default) and the in-memory backend.
 * <p>
 * Not part of the normal build: run it with {@code ./mvnw test -Pbenchmark -Dtest=LedgerBenchmark} (Surefire's default
 * includes do not match {@code *Benchmark}). It asserts nothing about time; it prints a table and writes it to
 * {@code target/benchmark-results.md}. It fails only if the store loses, duplicates or refuses events. Sizes, system
 * properties and how to read the ratios: {@code docs/performance.md}.
 */
@ExtendWith(QuietLogs.class)
@Tag("benchmark")
class LedgerBenchmark {

    // ------------------------------------------------------------------ sizes (system properties)

    /** Stored events at the second (large) measurement point. */
    private static final int EVENTS = intProperty("bench.events", 100_000);
    /** Stored events at the first measurement point. */
    private static final int EARLY = intProperty("bench.early", Math.max(100, Math.min(10_000, EVENTS / 10)));
    /** Events appended by each append measurement (gateway or engine, 1 or N senders). */
    private static final int APPENDS = intProperty("bench.appends", clamp(EVENTS / 100, 200, 1_000));
    /** Concurrent senders of the multi-sender measurements. */
    private static final int SENDERS = intProperty("bench.senders", 8);
    /** Aggregates the gateway commands go round-robin over. */
    private static final int POOL = intProperty("bench.aggregates", 100);
    /** Events per aggregate before a fresh aggregate is used (keeps aggregate loading cost constant). */
    private static final int PER_AGGREGATE = intProperty("bench.eventsPerAggregate", 20);
    /** Raw driver insertOne documents (per thread count). */
    private static final int RAW_SINGLE = intProperty("bench.raw.single", clamp(EVENTS / 100, 300, 1_000));
    /** Raw driver insertMany documents (batches of 100). */
    private static final int RAW_BULK = intProperty("bench.raw.bulk", clamp(EVENTS / 10, 2_000, 10_000));
    /** Raw driver single-key lookups. */
    private static final int RAW_LOOKUPS = intProperty("bench.raw.lookups", clamp(EVENTS / 20, 500, 5_000));
    /** Length of the free-text note in each event payload (the ledger's real events carry such a note). */
    private static final int NOTE_CHARS = intProperty("bench.noteChars", 120);
    /** Which backends, in order. */
    private static final List<String> BACKENDS =
            List.of(System.getProperty("bench.backends", "h2,memory").toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
    /** Upper bound for any single measurement (replay wait, sender pool). */
    /** Alternating rounds with and without verify-on-read, whose medians give what verification costs. */
    private static final int VERIFY_ROUNDS = intProperty("bench.verifyRounds", 3);
    private static final Duration TIMEOUT = Duration.ofSeconds(intProperty("bench.timeoutSeconds", 600));
    /** Minimum duration of a raw read measurement (it repeats passes until then). */
    private static final Duration MIN_READ_TIME = Duration.ofMillis(intProperty("bench.minReadMillis", 1_000));

    private static final int BLOCK = 100;
    private static final String AGGREGATE_TYPE = CounterAggregate.class.getSimpleName();
    private static final String NOTE = "x".repeat(NOTE_CHARS);
    private static final Path RESULTS = Path.of("target", "benchmark-results.md");
    private static final int MAX_ATTEMPTS = 100;
    private static final int MAX_PROBLEMS_LISTED = 20;


    // ------------------------------------------------------------------ the aggregate under test

    public record CreateCounter(@TargetAggregateIdentifier String counterId, String note) {
    }

    public record Increment(@TargetAggregateIdentifier String counterId, String note) {
    }

    public record CounterCreated(String counterId, String note) {
    }

    public record Incremented(String counterId, long value, String note) {
    }

    /** One event per command: the cheapest possible event-sourced aggregate. */
    public static class CounterAggregate {

        @AggregateIdentifier
        private String counterId;
        private long value;

        protected CounterAggregate() {
        }

        @CommandHandler
        public CounterAggregate(CreateCounter command) {
            apply(new CounterCreated(command.counterId(), command.note()));
        }

        @CommandHandler
        public void handle(Increment command) {
            apply(new Incremented(command.counterId(), value + 1, command.note()));
        }

        @EventSourcingHandler
        void on(CounterCreated event) {
            this.counterId = event.counterId();
        }

        @EventSourcingHandler
        void on(Incremented event) {
            this.value = event.value();
        }
    }

    // ------------------------------------------------------------------ results

    private record Row(String backend, int point, long stored, String measurement, double rate, String unit,
                       String reference, double referenceRate, String notes) {

        String ratio() {
            return Double.isNaN(referenceRate) || referenceRate <= 0 ? "—"
                    : String.format(Locale.ROOT, "%.2f", rate / referenceRate);
        }
    }

    /** The raw driver figures of one backend, the denominators of the ratios. */
    private static final class Raw {
        double insertOne1;
        double insertOneN;
        double insertMany;
        double inBlock;
        double lookup;
    }

    /** Everything belonging to one backend's run. */
    private static final class Run {
        final String backend;
        final LedgerFixture fixture;
        final Raw raw = new Raw();
        MongoEventStorageEngine engine;
        Configuration axon;
        /** The same store read without verify-on-read, to measure what verification costs. */
        Configuration axonUnverified;
        long appended; // events this benchmark appended to the store successfully
        int aggregates; // counter for unique aggregate ids
        int point; // 1 = the first store size, 2 = the second
        long indexCollisions;
        final AtomicLong rawIds = new AtomicLong();

        Run(String backend, LedgerFixture fixture) {
            this.backend = backend;
            this.fixture = fixture;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final List<String> header = new ArrayList<>();
    private final List<String> backendNotes = new ArrayList<>();


    /** The H2 file backend on a plain (unencrypted) store file, as before encryption at rest: what encryption costs. */
    private static LedgerFixture plainH2(Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        org.ccmledger.platform.mongo.DurableH2Backend.open(org.ccmledger.platform.mongo.StoreFile.in(dir), false, null)
                                                     .close();
        return LedgerFixture.onH2(dir);
    }

    @Test
    void measure(@TempDir Path dataDir) throws Exception {
        describeMachine();
        for (String backend : BACKENDS) {
            LedgerFixture fixture = switch (backend) {
                case "h2" -> LedgerFixture.onH2(dataDir.resolve("h2"));
                case "h2-plain" -> plainH2(dataDir.resolve("h2-plain"));
                case "memory" -> LedgerFixture.inMemory();
                default -> throw new IllegalArgumentException("bench.backends: h2, h2-plain and/or memory, not "
                                                              + backend);
            };
            Run run = new Run(backend, fixture);
            try {
                progress("== backend %s", backend);
                run.engine = fixture.engine();
                run.axon = DefaultConfigurer.defaultConfiguration()
                                            .configureSerializer(c -> LedgerFixture.SERIALIZER)
                                            .configureEventSerializer(c -> LedgerFixture.SERIALIZER)
                                            .configureMessageSerializer(c -> LedgerFixture.SERIALIZER)
                                            .configureEmbeddedEventStore(c -> run.engine)
                                            .configureAggregate(CounterAggregate.class)
                                            .buildConfiguration();
                run.axon.start();
                MongoEventStorageEngine unverified = fixture.engineBuilder().verifyOnRead(false).build();
                run.axonUnverified = DefaultConfigurer.defaultConfiguration()
                                                      .configureSerializer(c -> LedgerFixture.SERIALIZER)
                                                      .configureEventSerializer(c -> LedgerFixture.SERIALIZER)
                                                      .configureMessageSerializer(c -> LedgerFixture.SERIALIZER)
                                                      .configureEmbeddedEventStore(c -> unverified)
                                                      .configureAggregate(CounterAggregate.class)
                                                      .buildConfiguration();
                run.axonUnverified.start();

                // at each size: the raw driver baseline, measured just before the store's figures so that both
                // see the same machine conditions, then the store filled to the size, then the store's figures
                run.point = 1;
                rawBaseline(run);
                fillTo(run, EARLY);
                measurePoint(run);
                run.point = 2;
                rawBaseline(run);
                fillTo(run, EVENTS);
                measurePoint(run);
                noteDocumentSizes(run);
            } finally {
                if (run.axon != null) {
                    run.axon.shutdown();
                }
                if (run.axonUnverified != null) {
                    run.axonUnverified.shutdown();
                }
                fixture.close();
            }
            report(); // after each backend, so a later failure keeps what was measured
        }
        assertTrue(problems.isEmpty(), "The store misbehaved during the benchmark: " + problems);
    }

    // ------------------------------------------------------------------ 1. raw driver baseline

    private void rawBaseline(Run run) throws Exception {
        MongoCollection<Document> warmup = run.fixture.database().getCollection("raw_warmup");
        MongoCollection<Document> raw = run.fixture.database().getCollection("raw_events");
        String payload = payloadJson();
        String metaData = metaDataJson();
        progress("-- %s raw driver baseline", run.backend);
        if (run.point == 1) {
            raw.createIndex(Indexes.ascending("streamKey"), new IndexOptions().unique(true));
            warmup.createIndex(Indexes.ascending("streamKey"), new IndexOptions().unique(true));
            // warm up the driver, the server and the JIT; not measured
            for (int i = 1; i <= 300; i++) {
                warmup.insertOne(rawDocument(i, "warm", i, payload, metaData));
            }
            for (int i = 1; i <= 300; i += BLOCK) {
                warmup.find(Filters.in("_id", range(i, BLOCK))).into(new ArrayList<>());
                warmup.find(Filters.eq("_id", (long) i)).first();
            }
        }

        AtomicLong ids = run.rawIds;
        long nanos = runSenders(1, RAW_SINGLE, (sender, i) -> {
            long id = ids.incrementAndGet();
            raw.insertOne(rawDocument(id, "one", id, payload, metaData));
        });
        run.raw.insertOne1 = perSecond(RAW_SINGLE, nanos);
        add(run, "raw insertOne, 1 thread", run.raw.insertOne1, "docs/s", null, Double.NaN, RAW_SINGLE + " docs");

        nanos = runSenders(SENDERS, RAW_SINGLE, (sender, i) -> {
            long id = ids.incrementAndGet();
            raw.insertOne(rawDocument(id, "one", id, payload, metaData));
        });
        run.raw.insertOneN = perSecond(RAW_SINGLE, nanos);
        add(run, "raw insertOne, " + SENDERS + " threads", run.raw.insertOneN, "docs/s", null, Double.NaN,
            RAW_SINGLE + " docs");

        int bulkBatches = (RAW_BULK + BLOCK - 1) / BLOCK;
        gc();
        long start = System.nanoTime();
        for (int b = 0; b < bulkBatches; b++) {
            List<Document> batch = new ArrayList<>(BLOCK);
            for (int j = 0; j < BLOCK; j++) {
                long id = ids.incrementAndGet();
                batch.add(rawDocument(id, "many", id, payload, metaData));
            }
            raw.insertMany(batch);
        }
        nanos = System.nanoTime() - start;
        run.raw.insertMany = perSecond((long) bulkBatches * BLOCK, nanos);
        add(run, "raw insertMany (100/batch), 1 thread", run.raw.insertMany, "docs/s", null, Double.NaN,
            bulkBatches * BLOCK + " docs");

        long total = ids.get();
        gc();
        long docs = 0;
        int passes = 0;
        start = System.nanoTime();
        do {
            for (long from = 1; from <= total; from += BLOCK) {
                int n = (int) Math.min(BLOCK, total - from + 1);
                docs += raw.find(Filters.in("_id", range(from, n))).into(new ArrayList<>(n)).size();
            }
            passes++;
        } while (System.nanoTime() - start < MIN_READ_TIME.toNanos());
        nanos = System.nanoTime() - start;
        if (docs != total * passes) {
            problem(run.backend + ": raw $in reads returned " + docs + " documents, expected " + total * passes);
        }
        run.raw.inBlock = perSecond(docs, nanos);
        add(run, "raw find(_id $in [100 keys]), 1 thread", run.raw.inBlock, "docs/s", null, Double.NaN,
            total + " docs in collection, " + passes + " pass(es)");

        gc();
        long found = 0;
        long lookups = 0;
        start = System.nanoTime();
        do {
            for (int i = 0; i < RAW_LOOKUPS; i++) {
                long key = 1 + ThreadLocalRandom.current().nextLong(total);
                if (raw.find(Filters.eq("_id", key)).first() != null) {
                    found++;
                }
            }
            lookups += RAW_LOOKUPS;
        } while (System.nanoTime() - start < MIN_READ_TIME.toNanos());
        nanos = System.nanoTime() - start;
        if (found != lookups) {
            problem(run.backend + ": raw lookups found " + found + " of " + lookups + " keys");
        }
        run.raw.lookup = perSecond(lookups, nanos);
        add(run, "raw find(_id == k), 1 thread", run.raw.lookup, "lookups/s", null, Double.NaN,
            lookups + " random keys");
    }

    private static Document rawDocument(long id, String aggregatePrefix, long n, String payload, String metaData) {
        // the same fields, types and (roughly) sizes as the documents MongoEventStorageEngine writes
        String aggregateId = aggregatePrefix + "-" + (n / PER_AGGREGATE);
        long sequence = n % PER_AGGREGATE;
        return new Document("_id", id)
                .append("streamKey", aggregateId + "#" + sequence)
                .append("aggregateIdentifier", aggregateId)
                .append("sequenceNumber", sequence)
                .append("aggregateType", AGGREGATE_TYPE)
                .append("eventIdentifier", UUID.randomUUID().toString())
                .append("timestamp", Instant.now().toString())
                .append("payloadType", Incremented.class.getName())
                .append("payloadRevision", null)
                .append("payload", payload)
                .append("metaData", metaData)
                .append("recordedAt", new Date())
                .append("previousHash", fakeHash())
                .append("hash", fakeHash());
    }

    private static String fakeHash() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String payloadJson() {
        return LedgerFixture.SERIALIZER.serialize(new Incremented(UUID.randomUUID().toString(), 12, NOTE),
                                                  String.class).getData();
    }

    private static String metaDataJson() {
        return LedgerFixture.SERIALIZER.serialize(metaData(), String.class).getData();
    }

    /** What the gateway's default correlation providers put on each event. */
    private static MetaData metaData() {
        return MetaData.with("traceId", UUID.randomUUID().toString())
                       .and("correlationId", UUID.randomUUID().toString());
    }

    // ------------------------------------------------------------------ 4. filling the store

    private void fillTo(Run run, long target) throws Exception {
        long have = storedEvents(run);
        if (have >= target) {
            return;
        }
        long toAppend = target - have;
        gc();
        long start = System.nanoTime();
        long appended = 0;
        List<EventMessage<?>> batch = new ArrayList<>(BLOCK);
        String aggregateId = null;
        int sequence = PER_AGGREGATE;
        while (appended < toAppend) {
            batch.clear();
            int n = (int) Math.min(BLOCK, toAppend - appended);
            for (int j = 0; j < n; j++) {
                if (sequence == PER_AGGREGATE) {
                    aggregateId = run.backend + "-fill-" + (run.aggregates++);
                    sequence = 0;
                }
                batch.add(domainEvent(aggregateId, sequence++));
            }
            run.engine.appendEvents(batch);
            appended += n;
        }
        long nanos = System.nanoTime() - start;
        run.appended += appended;
        add(run, String.format(Locale.ROOT, "fill: engine.appendEvents, %d events/commit, 1 thread", BLOCK),
            perSecond(appended, nanos), "events/s", "raw insertMany", run.raw.insertMany,
            String.format(Locale.ROOT, "%,d → %,d stored", have, target));
    }

    private static EventMessage<?> domainEvent(String aggregateId, long sequence) {
        Object payload = sequence == 0 ? new CounterCreated(aggregateId, NOTE)
                : new Incremented(aggregateId, sequence, NOTE);
        return new GenericDomainEventMessage<>(AGGREGATE_TYPE, aggregateId, sequence, payload, metaData());
    }

    // ------------------------------------------------------------------ 2.–4. the store at one size

    private void measurePoint(Run run) throws Exception {
        long stored = storedEvents(run);
        progress("-- %s at %,d stored events", run.backend, stored);
        appendThroughGateway(run, 1, stored);
        appendThroughGateway(run, SENDERS, stored);
        appendDirectly(run, 1, stored);
        appendDirectly(run, SENDERS, stored);
        readStream(run);
        replay(run);
        verificationCost(run);
    }

    /** A rate measured once, with what to say about it. */
    private record Measured(double rate, String notes) {
    }

    /** 2. Commands through Axon's gateway: load the aggregate, handle, append one event; round-robin over a pool. */
    private void appendThroughGateway(Run run, int senders, long stored) throws Exception {
        Measured measured = gatewayOnce(run, run.axon, senders);
        double reference = senders == 1 ? run.raw.insertOne1 : run.raw.insertOneN;
        add(run, "Axon gateway sendAndWait, " + senders + " sender" + (senders == 1 ? "" : "s"), measured.rate(),
            "events/s", "raw insertOne, " + senders + " thread" + (senders == 1 ? "" : "s"), reference,
            measured.notes(), stored);
    }

    private Measured gatewayOnce(Run run, Configuration axon, int senders) throws Exception {
        CommandGateway gateway = axon.commandGateway();
        String prefix = run.backend + "-gw" + (run.aggregates++) + "-";
        Retries retries = new Retries();
        long nanos = runSenders(senders, APPENDS, (sender, i) -> {
            int slot = i % POOL;
            int round = i / POOL;
            int generation = round / PER_AGGREGATE;
            int sequence = round % PER_AGGREGATE;
            String aggregateId = prefix + generation + "-" + slot;
            Object command = sequence == 0 ? new CreateCounter(aggregateId, NOTE) : new Increment(aggregateId, NOTE);
            withRetries(run, retries, "command " + aggregateId + " #" + sequence, () -> gateway.sendAndWait(command));
        });
        run.appended += retries.succeeded.get();
        run.indexCollisions += retries.indexCollisions.get();
        return new Measured(perSecond(retries.succeeded.get(), nanos),
                            String.format(Locale.ROOT, "%,d cmds round-robin over %d aggregates; %s", APPENDS, POOL,
                                          retries));
    }

    /** 2. The same senders appending one event per call directly to the engine (no Axon unit of work). */
    private void appendDirectly(Run run, int senders, long stored) throws Exception {
        String prefix = run.backend + "-direct" + (run.aggregates++) + "-";
        int[] aggregateOf = new int[senders];
        int[] sequenceOf = new int[senders];
        Arrays.fill(sequenceOf, PER_AGGREGATE);
        Retries retries = new Retries();
        long nanos = runSenders(senders, APPENDS, (sender, i) -> {
            // each sender owns its aggregates, so there are no aggregate conflicts by construction
            if (sequenceOf[sender] == PER_AGGREGATE) {
                aggregateOf[sender]++;
                sequenceOf[sender] = 0;
            }
            String aggregateId = prefix + sender + "-" + aggregateOf[sender];
            EventMessage<?> event = domainEvent(aggregateId, sequenceOf[sender]);
            if (withRetries(run, retries, "append " + aggregateId + " #" + sequenceOf[sender],
                            () -> run.engine.appendEvents(List.of(event)))) {
                sequenceOf[sender]++;
            } else {
                sequenceOf[sender] = PER_AGGREGATE; // the aggregate cannot continue without this event
            }
        });
        run.appended += retries.succeeded.get();
        run.indexCollisions += retries.indexCollisions.get();
        double reference = senders == 1 ? run.raw.insertOne1 : run.raw.insertOneN;
        add(run, "engine.appendEvents (1 event/commit), " + senders + " sender" + (senders == 1 ? "" : "s"),
            perSecond(retries.succeeded.get(), nanos), "events/s",
            "raw insertOne, " + senders + " thread" + (senders == 1 ? "" : "s"), reference,
            String.format(Locale.ROOT, "%,d events, each sender on its own aggregates; %s", APPENDS, retries), stored);
    }

    /** 3. The storage engine's own tracking stream from the start, as fast as it can be consumed. */
    private void readStream(Run run) {
        long stored = storedEvents(run);
        gc();
        long start = System.nanoTime();
        long count;
        try (Stream<? extends TrackedEventMessage<?>> events = run.engine.readEvents(null, false)) {
            count = events.mapToLong(e -> e.getIdentifier() == null ? 0 : 1).sum();
        }
        long nanos = System.nanoTime() - start;
        if (count != stored) {
            problem(String.format(Locale.ROOT, "%s: readEvents(null, false) returned %,d events, %,d stored",
                                       run.backend, count, stored));
        }
        add(run, "engine.readEvents(null,false) stream, from tail", perSecond(count, nanos), "events/s",
            "raw $in [100 keys]", run.raw.inBlock, String.format(Locale.ROOT, "%,d events, payload not deserialized",
                                                                  count), stored);
    }

    /** 3. A tracking processor replaying the whole store: batch 100, our MongoTokenStore, counting handler. */
    private void replay(Run run) throws InterruptedException {
        long stored = storedEvents(run);
        Measured measured = replayOnce(run, run.axon);
        add(run, "TrackingEventProcessor replay, batch " + BLOCK + ", MongoTokenStore", measured.rate(), "events/s",
            "raw $in [100 keys]", run.raw.inBlock, measured.notes(), stored);
    }

    private Measured replayOnce(Run run, Configuration axon) throws InterruptedException {
        long stored = storedEvents(run);
        AtomicLong seen = new AtomicLong();
        java.util.concurrent.CountDownLatch allSeen = new java.util.concurrent.CountDownLatch(1);
        EventMessageHandler counter = new EventMessageHandler() {
            @Override
            public Object handle(EventMessage<?> event) {
                event.getPayload(); // deserialize, as a real handler would
                if (seen.incrementAndGet() == stored) {
                    allSeen.countDown();
                }
                return null;
            }
        };
        TrackingEventProcessor processor =
                TrackingEventProcessor.builder()
                                      .name("benchmark-replay-" + (run.aggregates++))
                                      .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                                                                                    .eventHandlers(counter)
                                                                                    .build())
                                      .messageSource(axon.eventStore())
                                      .tokenStore(run.fixture.tokenStore("benchmark"))
                                      .transactionManager(NoTransactionManager.INSTANCE)
                                      .trackingEventProcessorConfiguration(
                                              TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                                                                 .andBatchSize(BLOCK))
                                      .build();
        gc();
        long start = System.nanoTime();
        processor.start();
        allSeen.await(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        long nanos = System.nanoTime() - start;
        long count = seen.get();
        processor.shutDown();
        if (seen.get() != stored) {
            problem(String.format(Locale.ROOT, "%s: the tracking processor saw %,d events, %,d stored%s",
                                       run.backend, seen.get(), stored,
                                       count < stored ? " (timed out after " + TIMEOUT + ")" : ""));
        }
        return new Measured(perSecond(count, nanos),
                            String.format(Locale.ROOT, "%,d events, start to last handled, payload deserialized",
                                          count));
    }

    /**
     * 7. What verify-on-read costs: the gateway (1 sender) and the replay, each with the verifying engine and with one
     * that reads the same store unverified, in {@code bench.verifyRounds} alternating rounds (on first in even
     * rounds, off first in odd ones, so that drift in the machine's load hits both alike); the medians are compared.
     */
    private void verificationCost(Run run) throws Exception {
        long stored = storedEvents(run);
        List<Double> gatewayOn = new ArrayList<>();
        List<Double> gatewayOff = new ArrayList<>();
        List<Double> replayOn = new ArrayList<>();
        List<Double> replayOff = new ArrayList<>();
        for (int round = 0; round < VERIFY_ROUNDS; round++) {
            for (boolean on : round % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                Configuration axon = on ? run.axon : run.axonUnverified;
                (on ? gatewayOn : gatewayOff).add(gatewayOnce(run, axon, 1).rate());
                (on ? replayOn : replayOff).add(replayOnce(run, axon).rate());
            }
        }
        addCost(run, "Axon gateway sendAndWait, 1 sender", gatewayOn, gatewayOff, stored);
        addCost(run, "TrackingEventProcessor replay, batch " + BLOCK + ", MongoTokenStore", replayOn, replayOff,
                stored);
    }

    private void addCost(Run run, String measurement, List<Double> on, List<Double> off, long stored) {
        double withCheck = median(on);
        double without = median(off);
        add(run, measurement + ", verify-on-read on, median of " + on.size(), withCheck, "events/s",
            "the same, verify-on-read off", without,
            String.format(Locale.ROOT, "verification costs %.0f %% (1 − on ÷ off); rounds on: %s; off: %s",
                          100 * (1 - withCheck / without), rates(on), rates(off)), stored);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String rates(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList());
    }

    // ------------------------------------------------------------------ helpers

    /** Counts why appends had to be repeated. */
    private static final class Retries {
        final AtomicLong succeeded = new AtomicLong();
        final AtomicLong indexCollisions = new AtomicLong();
        final AtomicLong conflicts = new AtomicLong();
        final AtomicLong notYetCreated = new AtomicLong();
        final AtomicLong otherFailures = new AtomicLong();
        final AtomicLong givenUp = new AtomicLong();

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "retried: %d global-index collisions, %d aggregate conflicts, %d not yet"
                                                      + " created, %d other; given up %d",
                                 indexCollisions.get(), conflicts.get(), notYetCreated.get(), otherFailures.get(),
                                 givenUp.get());
        }
    }

    /**
     * Runs one append (a command or a direct append of one event), repeating it after a failure as a client would.
     * A duplicate key on {@code _id} means two commits were given the same global index (a store problem, not an
     * aggregate conflict); a duplicate {@code streamKey} is a genuine conflict on the aggregate.
     */
    private boolean withRetries(Run run, Retries retries, String what, Runnable append) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                append.run();
                retries.succeeded.incrementAndGet();
                return true;
            } catch (RuntimeException e) {
                last = e;
                if (messageContains(e, "index: _id_ dup key")) {
                    retries.indexCollisions.incrementAndGet();
                } else if (causedBy(e, ConcurrencyException.class)
                        || causedBy(e, AggregateStreamCreationException.class)) {
                    retries.conflicts.incrementAndGet();
                } else if (causedBy(e, AggregateNotFoundException.class)) {
                    retries.notYetCreated.incrementAndGet(); // the create of this aggregate is still in flight
                    Thread.onSpinWait();
                } else {
                    retries.otherFailures.incrementAndGet();
                    problem(run.backend + ": " + what + " failed: " + e);
                }
            }
        }
        retries.givenUp.incrementAndGet();
        problem(run.backend + ": " + what + " failed " + MAX_ATTEMPTS + " times, last: " + last);
        return false;
    }

    private void problem(String description) {
        synchronized (problems) {
            if (problems.size() < MAX_PROBLEMS_LISTED) {
                problems.add(description);
            } else if (problems.size() == MAX_PROBLEMS_LISTED) {
                problems.add("(further problems not listed)");
            }
        }
    }

    private static boolean messageContains(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private interface SenderOperation {
        void run(int sender, int operation) throws Exception;
    }

    /** Runs operations 0..total-1 on {@code senders} threads taking the next number in turn; returns the nanos. */
    private static long runSenders(int senders, int total, SenderOperation operation) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            CountDownLatch ready = new CountDownLatch(senders);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        operation.run(sender, i);
                    }
                    return null;
                }));
            }
            ready.await();
            gc();
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> future : futures) {
                future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private long storedEvents(Run run) {
        long count = run.fixture.collections().events().countDocuments(Filters.exists("tombstone", false));
        if (count != run.appended) {
            problem(String.format(Locale.ROOT, "%s: %,d events stored but %,d appended successfully",
                                       run.backend, count, run.appended));
            run.appended = count;
        }
        return count;
    }

    private void noteDocumentSizes(Run run) {
        backendNotes.add(String.format(Locale.ROOT, "%s: average BSON size of an event document %d bytes, of a raw"
                                               + " baseline document %d bytes; %,d events stored, highest reserved"
                                               + " global index %,d",
                                       run.backend, averageSize(run.fixture.collections().events()),
                                       averageSize(run.fixture.database().getCollection("raw_events")),
                                       storedEvents(run), run.fixture.collections().highestReserved()));
        long tombstones = run.fixture.collections().events().countDocuments(Filters.eq("tombstone", true));
        backendNotes.add(String.format(Locale.ROOT, "%s: %,d global indexes held by tombstones (failed commits)",
                                       run.backend, tombstones));
        if (run.indexCollisions > 0) {
            backendNotes.add(String.format(Locale.ROOT, "%s: **%,d appends failed because two concurrent commits were"
                                                   + " given the same global index** (duplicate key on events._id,"
                                                   + " reported by the engine as an aggregate conflict); they were"
                                                   + " retried. See docs/performance.md.",
                                           run.backend, run.indexCollisions));
        }
    }

    private static long averageSize(MongoCollection<Document> collection) {
        List<RawBsonDocument> sample = collection.withDocumentClass(RawBsonDocument.class)
                                                 .find(Filters.in("_id", range(1000, 200)))
                                                 .into(new ArrayList<>());
        return sample.isEmpty() ? 0
                : Math.round(sample.stream().mapToInt(d -> d.getByteBuffer().remaining()).average().orElse(0));
    }

    private static List<Long> range(long from, int count) {
        return LongStream.range(from, from + count).boxed().toList();
    }

    private static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }

    private static void gc() {
        System.gc();
    }

    private void add(Run run, String measurement, double rate, String unit, String reference, double referenceRate,
                     String notes) {
        add(run, measurement, rate, unit, reference, referenceRate, notes, 0);
    }

    private void add(Run run, String measurement, double rate, String unit, String reference, double referenceRate,
                     String notes, long stored) {
        Row row = new Row(run.backend, run.point, stored, measurement, rate, unit, reference, referenceRate, notes);
        rows.add(row);
        progress("   %-55s %,12.0f %-9s ratio %s", measurement, rate, unit, row.ratio());
    }

    private static void progress(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private void describeMachine() {
        Runtime runtime = Runtime.getRuntime();
        header.add("Date: " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        header.add(String.format(Locale.ROOT, "Machine: %d cores, max heap %,d MB, Java %s (%s), %s %s %s",
                                 runtime.availableProcessors(), runtime.maxMemory() / (1024 * 1024),
                                 System.getProperty("java.version"), System.getProperty("java.vm.name"),
                                 System.getProperty("os.name"), System.getProperty("os.version"),
                                 System.getProperty("os.arch")));
        header.add("JVM arguments: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        header.add(String.format(Locale.ROOT, "Sizes: bench.events=%d bench.early=%d bench.appends=%d bench.senders=%d"
                                         + " bench.aggregates=%d bench.eventsPerAggregate=%d bench.raw.single=%d"
                                         + " bench.raw.bulk=%d bench.raw.lookups=%d bench.noteChars=%d"
                                         + " bench.backends=%s",
                                 EVENTS, EARLY, APPENDS, SENDERS, POOL, PER_AGGREGATE, RAW_SINGLE, RAW_BULK,
                                 RAW_LOOKUPS, NOTE_CHARS, String.join(",", BACKENDS)));
        header.forEach(LedgerBenchmark::progress);
    }

    private void report() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# ccm-ledger benchmark results");
        lines.add("");
        header.forEach(h -> lines.add("- " + h));
        lines.add("- Ratio = the row's rate ÷ the raw driver rate named in \"vs raw\" (same server, same backend).");
        lines.add("");
        lines.add("| Backend | Stored events | Measurement | Rate | Unit | vs raw | Ratio | Notes |");
        lines.add("|---|---:|---|---:|---|---|---:|---|");
        for (Row r : rows) {
            lines.add(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %s | %s | %s | %s |", r.backend(),
                                    r.stored() == 0 ? "" : String.format(Locale.ROOT, "%,d", r.stored()),
                                    r.measurement(), r.rate(), r.unit(), r.reference() == null ? "" : r.reference(),
                                    r.ratio(), r.notes()));
        }
        lines.add("");
        lines.add("Cost as the store grows: each store figure at the second size ÷ the same figure at the first size"
                          + " (1.00 = flat).");
        lines.add("");
        lines.add("| Backend | Measurement | First size | Second size | Second ÷ first |");
        lines.add("|---|---|---:|---:|---:|");
        for (Row second : rows) {
            if (second.point() != 2) {
                continue;
            }
            rows.stream()
                .filter(first -> first.point() == 1 && first.backend().equals(second.backend())
                        && first.measurement().equals(second.measurement()))
                .findFirst()
                .ifPresent(first -> lines.add(String.format(
                        Locale.ROOT, "| %s | %s | %,.0f %s%s | %,.0f %s%s | %.2f |",
                        second.backend(), second.measurement(), first.rate(), first.unit(), where(first),
                        second.rate(), second.unit(), where(second),
                        first.rate() <= 0 ? Double.NaN : second.rate() / first.rate())));
        }
        if (!backendNotes.isEmpty()) {
            lines.add("");
            backendNotes.forEach(n -> lines.add("- " + n));
        }
        if (!problems.isEmpty()) {
            lines.add("");
            lines.add("**Problems:**");
            problems.forEach(p -> lines.add("- " + p));
        }
        String table = String.join(System.lineSeparator(), lines) + System.lineSeparator();
        System.out.println();
        System.out.println(table);
        Files.createDirectories(RESULTS.getParent());
        Files.writeString(RESULTS, table);
        progress("(written to %s)", RESULTS.toAbsolutePath());
    }

    private static String where(Row row) {
        return row.stored() == 0 ? "" : String.format(Locale.ROOT, " at %,d stored", row.stored());
    }

    private static int intProperty(String name, int fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim().replace("_", ""));
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
