package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Callable;

import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Aggregates kept between commands ({@link HeadCheckedAggregateCache}) behind Axon's caching repository on our
 * store: a kept aggregate is handed back while its stream's head is unmoved; one another node appended to is loaded
 * afresh with that node's events; one whose unit of work rolled back is not kept; the least recently used goes first.
 * Tampering is not hidden by it: a kept aggregate whose last event was deleted or altered in the store is loaded
 * afresh, and that load refuses it; while an integrity failure is outstanding every command loads. Checked ahead
 * together ({@code checkAhead}), an aggregate found where it was left is handed back without looking again within the
 * scope, and one that was not (moved on, tampered with) is loaded as always; a stream not kept here is read ahead
 * (its snapshot and the events after it) and its load uses what was read, checked as any load checks it, once.
 */
class HeadCheckedAggregateCacheTest {

    public record Opened(String id) {
    }

    public record Added(String id, int amount) {
    }

    /** An aggregate that sums what is added to it. */
    public static class Tally {

        @AggregateIdentifier
        private String id;
        private int total;

        Tally() {
        }

        Tally(String id) {
            AggregateLifecycle.apply(new Opened(id));
        }

        /** A tally as a snapshot holds it. */
        static Tally of(String id, int total) {
            Tally tally = new Tally();
            tally.id = id;
            tally.total = total;
            return tally;
        }

        void add(int amount) {
            AggregateLifecycle.apply(new Added(id, amount));
        }

        /** Read by Jackson, which writes the fields back, when a snapshot is stored and loaded. */
        public String getId() {
            return id;
        }

        public int getTotal() {
            return total;
        }

        @EventSourcingHandler
        void on(Opened opened) {
            id = opened.id();
        }

        @EventSourcingHandler
        void on(Added added) {
            total += added.amount();
        }
    }

    /** Metrics whose integrity alarm the test raises. */
    private static final class Alarm implements LedgerMetrics {

        volatile boolean raised;

        @Override
        public boolean integrityFailuresOutstanding() {
            return raised;
        }
    }

    private final Alarm alarm = new Alarm();
    private LedgerFixture ledger;
    private EmbeddedEventStore store;
    private MongoEventStorageEngine engine;
    private HeadCheckedAggregateCache cache;
    private EventSourcingRepository<Tally> repository;

    @BeforeEach
    void setUp() {
        ledger = LedgerFixture.inMemory();
        engine = ledger.engineBuilder().metrics(alarm).build();
        store = EmbeddedEventStore.builder().storageEngine(engine).build();
        cache = engine.aggregateCache(2);
        repository = repository(cache);
    }

    @AfterEach
    void tearDown() {
        store.shutDown();
        ledger.close();
    }

    private EventSourcingRepository<Tally> repository(org.axonframework.common.caching.Cache kept) {
        EventSourcingRepository.Builder<Tally> builder = EventSourcingRepository.builder(Tally.class).eventStore(store);
        return kept == null ? builder.build() : builder.cache(kept).build();
    }

    private static <R> R inUnitOfWork(Callable<R> work) throws Exception {
        var result = DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("test")).executeWithResult(work);
        if (result.isExceptional()) {
            throw (Exception) result.exceptionResult();
        }
        return result.getPayload();
    }

    private void open(EventSourcingRepository<Tally> in, String id) throws Exception {
        inUnitOfWork(() -> in.newInstance(() -> new Tally(id)));
    }

    private void add(EventSourcingRepository<Tally> in, String id, int amount) throws Exception {
        inUnitOfWork(() -> {
            in.load(id).execute(tally -> tally.add(amount));
            return null;
        });
    }

    /** A command that creates the tally if its stream is empty (as enrolment does), then adds to it. */
    private void openOrAdd(EventSourcingRepository<Tally> in, String id, int amount) throws Exception {
        inUnitOfWork(() -> {
            in.loadOrCreate(id, () -> new Tally(id)).execute(tally -> tally.add(amount));
            return null;
        });
    }

    private int total(EventSourcingRepository<Tally> in, String id) throws Exception {
        return inUnitOfWork(() -> in.load(id).invoke(tally -> tally.total));
    }

    @Test
    void aKeptAggregateIsHandedBackWhileItsHeadIsUnmoved() throws Exception {
        open(repository, "t1");
        add(repository, "t1", 2);
        add(repository, "t1", 3);

        assertThat(total(repository, "t1")).isEqualTo(5);
        assertThat(cache.hits()).isEqualTo(3);
        assertThat(cache.stale()).isZero();
        assertThat(HeadCheckedAggregateCache.versionOf(cache.<String, Object>get("t1"))).isEqualTo(2L);
    }

    @Test
    void anAggregateAnotherNodeAppendedToIsLoadedAfreshWithItsEvents() throws Exception {
        open(repository, "t1");
        add(repository, "t1", 2);
        EventSourcingRepository<Tally> otherNode = repository(null);
        add(otherNode, "t1", 40);

        assertThat(total(repository, "t1")).isEqualTo(42);
        assertThat(cache.stale()).isEqualTo(1);
        // and kept again at the new head
        add(repository, "t1", 1);
        assertThat(total(otherNode, "t1")).isEqualTo(43);
    }

    @Test
    void anAggregateWhoseUnitOfWorkRolledBackIsNotKept() throws Exception {
        open(repository, "t1");
        add(repository, "t1", 2);
        assertThatThrownBy(() -> inUnitOfWork(() -> {
            repository.load("t1").execute(tally -> tally.add(100));
            throw new IllegalStateException("refused after applying");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(cache.containsKey("t1")).isFalse();
        assertThat(total(repository, "t1")).isEqualTo(2);
    }

    @Test
    void theLeastRecentlyUsedAggregateGoesFirst() throws Exception {
        open(repository, "a");
        open(repository, "b");
        add(repository, "a", 1);
        open(repository, "c");

        assertThat(cache.containsKey("a")).isTrue();
        assertThat(cache.containsKey("c")).isTrue();
        assertThat(cache.containsKey("b")).isFalse();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(total(repository, "b")).isZero();
    }

    @Test
    void anAggregateWhoseLastEventWasDeletedIsLoadedAndRefused() throws Exception {
        open(repository, "t1");
        add(repository, "t1", 2);
        long hits = cache.hits();
        ledger.collections().events().deleteOne(Filters.eq(StoredEvent.STREAM_KEY, StoredEvent.streamKey("t1", 1)));

        assertThatThrownBy(() -> add(repository, "t1", 5)).isInstanceOf(LedgerIntegrityException.class);
        assertThat(cache.hits()).isEqualTo(hits);
        assertThat(ledger.collections().events().countDocuments(Filters.eq(StoredEvent.AGGREGATE_IDENTIFIER, "t1")))
                .as("nothing appended in the deleted event's place").isEqualTo(1);
    }

    @Test
    void anAggregateWhoseLastEventWasAlteredIsLoadedAndRefused() throws Exception {
        open(repository, "t1");
        add(repository, "t1", 2);
        long hits = cache.hits();
        var key = Filters.eq(StoredEvent.STREAM_KEY, StoredEvent.streamKey("t1", 1));
        String payload = ledger.collections().events().find(key).first().getString(StoredEvent.PAYLOAD);
        ledger.collections().events().updateOne(key, Updates.set(StoredEvent.PAYLOAD,
                                                                 payload.replace("\"amount\":2", "\"amount\":95")));

        assertThatThrownBy(() -> total(repository, "t1")).isInstanceOf(LedgerIntegrityException.class);
        assertThat(cache.hits()).isEqualTo(hits);
    }

    @Test
    void whileAnIntegrityFailureIsOutstandingEveryCommandLoads() throws Exception {
        open(repository, "t1");
        add(repository, "t1", 2);
        long hits = cache.hits();
        alarm.raised = true;
        add(repository, "t1", 3);
        assertThat(cache.hits()).isEqualTo(hits);
        assertThat(cache.stale()).isEqualTo(1);
        alarm.raised = false;
        assertThat(total(repository, "t1")).isEqualTo(5);
        assertThat(cache.hits()).isEqualTo(hits + 1);
    }

    @Test
    void aggregatesCheckedAheadTogetherAreHandedBackWithoutLookingAgainWithinTheScope() throws Exception {
        open(repository, "a");
        open(repository, "b");
        long hits = cache.hits();
        try (var ahead = cache.checkAhead(java.util.List.of("a", "b", "never-kept"))) {
            // altered after the check: within the scope the check stands, so the kept aggregate is handed back
            // (as it would be had the change come right after a check of its own)
            ledger.collections().events().deleteOne(Filters.eq(StoredEvent.STREAM_KEY, StoredEvent.streamKey("a", 0)));
            assertThat(total(repository, "a")).isZero();
            assertThat(cache.hits()).isEqualTo(hits + 1);
            // once per check: the next load of it looks again, and refuses the stream
            assertThatThrownBy(() -> total(repository, "a")).isInstanceOf(LedgerIntegrityException.class);
            add(repository, "b", 4);
            assertThat(cache.hits()).isEqualTo(hits + 2);
        }
        assertThat(total(repository, "b")).isEqualTo(4);
    }

    @Test
    void aggregatesNotWhereTheyWereLeftWhenCheckedAheadAreLoadedAsAlways() throws Exception {
        open(repository, "moved");
        open(repository, "altered");
        add(repository, "moved", 1);
        add(repository, "altered", 2);
        add(repository(null), "moved", 40);
        var key = Filters.eq(StoredEvent.STREAM_KEY, StoredEvent.streamKey("altered", 1));
        String payload = ledger.collections().events().find(key).first().getString(StoredEvent.PAYLOAD);
        ledger.collections().events().updateOne(key, Updates.set(StoredEvent.PAYLOAD,
                                                                 payload.replace("\"amount\":2", "\"amount\":95")));
        long hits = cache.hits();
        try (var ahead = cache.checkAhead(java.util.List.of("moved", "altered"))) {
            assertThat(total(repository, "moved")).isEqualTo(41);
            assertThatThrownBy(() -> total(repository, "altered")).isInstanceOf(LedgerIntegrityException.class);
        }
        assertThat(cache.hits()).isEqualTo(hits);
        assertThat(cache.stale()).isEqualTo(2);
    }

    @Test
    void anIntegrityFailureReportedAfterTheCheckAheadStillMakesEveryCommandLoad() throws Exception {
        open(repository, "t1");
        long hits = cache.hits();
        try (var ahead = cache.checkAhead(java.util.List.of("t1"))) {
            alarm.raised = true;
            add(repository, "t1", 3);
        }
        assertThat(cache.hits()).isEqualTo(hits);
        alarm.raised = false;
        assertThat(total(repository, "t1")).isEqualTo(3);
    }

    @Test
    void streamsFoundEmptyAheadAreCreatedWithoutLoadingOnceAndOneBegunMeanwhileIsRefusedAtTheAppend() throws Exception {
        open(repository, "begun");
        try (var ahead = cache.checkAhead(java.util.List.of("begun", "fresh", "raced"))) {
            // begun by another writer after the check: within the scope the check stands, so this command takes the
            // stream as empty and creates it, and its first event is refused by the stream's unique sequence numbers
            open(repository(null), "raced");
            assertThatThrownBy(() -> openOrAdd(repository, "raced", 5))
                    .isInstanceOf(org.axonframework.modelling.command.AggregateStreamCreationException.class);
            openOrAdd(repository, "fresh", 2);
            openOrAdd(repository, "begun", 1);
        }
        assertThat(total(repository(null), "fresh")).isEqualTo(2);
        assertThat(total(repository(null), "raced")).isZero();
        assertThat(total(repository(null), "begun")).isEqualTo(1);
        // once per check: after the refusal, the same command loads the stream and adds to what the other wrote
        try (var ahead = cache.checkAhead(java.util.List.of("raced"))) {
            openOrAdd(repository, "raced", 5);
        }
        assertThat(total(repository(null), "raced")).isEqualTo(5);
    }

    @Test
    void aStreamWithoutAHeadIsTakenAsEmptyOnlyWhereALoadWouldFindNothing() throws Exception {
        open(repository(null), "headless");
        add(repository(null), "headless", 7);
        ledger.collections().streamHeads().deleteOne(Filters.eq("_id", "headless"));
        open(repository(null), "no-first");
        add(repository(null), "no-first", 3);
        ledger.collections().streamHeads().deleteOne(Filters.eq("_id", "no-first"));
        ledger.collections().events().deleteOne(Filters.eq(StoredEvent.STREAM_KEY,
                                                           StoredEvent.streamKey("no-first", 0)));
        ledger.collections().snapshots().insertOne(new org.bson.Document("_id", "snapshot-only")
                                                           .append(StoredEvent.SEQUENCE_NUMBER, 4L));
        StreamsAhead loads = new StreamsAhead(ledger.collections(),
                                              new ReadCheck(new ChainHashes(ledger.collections()), alarm, true));

        // a load reads events from the first sequence number on, up to the first missing one: "no-first" loads as
        // empty, as it always did; a snapshot, even one that would not verify, is left for the load to judge
        assertThat(loads.empty(java.util.List.of("headless", "no-first", "snapshot-only", "none")))
                .containsExactlyInAnyOrder("no-first", "none");
        try (var ahead = cache.checkAhead(java.util.List.of("headless"))) {
            // loaded from its events, as a stream without a head always is
            openOrAdd(repository, "headless", 1);
        }
        assertThat(total(repository(null), "headless")).isEqualTo(8);
    }
    private void deleteEvent(String stream, long sequence) {
        ledger.collections().events().deleteOne(Filters.eq(StoredEvent.STREAM_KEY,
                                                           StoredEvent.streamKey(stream, sequence)));
    }

    @Test
    void aStreamNotKeptIsReadAheadAndItsLoadUsesWhatWasReadOnce() throws Exception {
        open(repository(null), "elsewhere");
        add(repository(null), "elsewhere", 5);
        add(repository(null), "elsewhere", 6);
        long misses = cache.misses();
        try (var ahead = cache.checkAhead(java.util.List.of("elsewhere"))) {
            // deleted after the read ahead: within the scope the load uses what was read, as it would had the
            // deletion come right after a load of its own
            deleteEvent("elsewhere", 1);
            assertThat(total(repository, "elsewhere")).isEqualTo(11);
            assertThat(cache.misses()).isEqualTo(misses + 1);
            // once per read ahead: the next load looks again and finds the stream cut short before its head
            cache.removeAll();
            assertThatThrownBy(() -> total(repository, "elsewhere")).isInstanceOf(LedgerIntegrityException.class);
        }
    }

    @Test
    void whatIsReadAheadIsCheckedAsAnyLoadChecksIt() throws Exception {
        for (String stream : java.util.List.of("altered", "cut-short", "foreign")) {
            open(repository(null), stream);
            add(repository(null), stream, 2);
        }
        var key = Filters.eq(StoredEvent.STREAM_KEY, StoredEvent.streamKey("altered", 1));
        String payload = ledger.collections().events().find(key).first().getString(StoredEvent.PAYLOAD);
        ledger.collections().events().updateOne(key, Updates.set(StoredEvent.PAYLOAD,
                                                                 payload.replace("\"amount\":2", "\"amount\":95")));
        deleteEvent("cut-short", 1);
        // another aggregate's event stored under this stream's key
        open(repository(null), "other");
        org.bson.Document moved = ledger.collections().events()
                                        .find(Filters.eq(StoredEvent.STREAM_KEY, StoredEvent.streamKey("other", 0)))
                                        .first();
        deleteEvent("foreign", 0);
        deleteEvent("other", 0);
        ledger.collections().events().insertOne(moved.append(StoredEvent.STREAM_KEY,
                                                             StoredEvent.streamKey("foreign", 0)));
        try (var ahead = cache.checkAhead(java.util.List.of("altered", "cut-short", "foreign"))) {
            assertThatThrownBy(() -> total(repository, "altered"))
                    .isInstanceOfSatisfying(LedgerIntegrityException.class,
                                            e -> assertThat(e.problem()).isEqualTo(LedgerVerifier.Problem.HASH_MISMATCH));
            assertThatThrownBy(() -> total(repository, "cut-short"))
                    .isInstanceOfSatisfying(LedgerIntegrityException.class, e -> assertThat(e.problem())
                            .isEqualTo(LedgerVerifier.Problem.STREAM_TRUNCATED));
            assertThatThrownBy(() -> total(repository, "foreign"))
                    .isInstanceOfSatisfying(LedgerIntegrityException.class,
                                            e -> assertThat(e.problem()).isEqualTo(LedgerVerifier.Problem.KEY_MISMATCH));
        }
    }

    @Test
    void aSnapshotIsReadAheadWithTheEventsAfterIt() throws Exception {
        open(repository(null), "snapped");
        add(repository(null), "snapped", 1);
        add(repository(null), "snapped", 2);
        engine.storeSnapshot(new org.axonframework.eventhandling.GenericDomainEventMessage<>(
                Tally.class.getName(), "snapped", 2, Tally.of("snapped", 3)));
        add(repository(null), "snapped", 4);
        try (var ahead = cache.checkAhead(java.util.List.of("snapped"))) {
            // both gone after the read ahead: the load uses the snapshot and the one event after it as read
            ledger.collections().snapshots().deleteOne(Filters.eq("_id", "snapped"));
            deleteEvent("snapped", 3);
            assertThat(total(repository, "snapped")).isEqualTo(7);
        }
    }

    @Test
    void aStreamWithManyEventsAfterItsSnapshotIsLoadedAsAlways() throws Exception {
        open(repository(null), "long");
        for (int i = 0; i < 128; i++) {
            add(repository(null), "long", 1);
        }
        try (var ahead = cache.checkAhead(java.util.List.of("long"))) {
            // not read ahead: the load reads the stream now, and finds its first event gone
            deleteEvent("long", 0);
            assertThatThrownBy(() -> total(repository, "long")).isInstanceOf(LedgerIntegrityException.class);
        }
    }
    @Test
    void aSnapshotOrAnEventTheReadAheadCannotReadIsLeftToItsStreamsOwnLoad() throws Exception {
        for (String stream : java.util.List.of("odd-snapshot", "odd-event", "fine")) {
            open(repository(null), stream);
            add(repository(null), stream, 3);
        }
        engine.storeSnapshot(new org.axonframework.eventhandling.GenericDomainEventMessage<>(
                Tally.class.getName(), "odd-snapshot", 1, Tally.of("odd-snapshot", 3)));
        ledger.collections().snapshots().updateOne(Filters.eq("_id", "odd-snapshot"),
                                                   Updates.set(StoredEvent.SEQUENCE_NUMBER, "one"));
        var key = Filters.eq(StoredEvent.STREAM_KEY, StoredEvent.streamKey("odd-event", 1));
        org.bson.Document event = ledger.collections().events().find(key).first();
        ledger.collections().events().deleteOne(key);
        ledger.collections().events().insertOne(event.append("_id", "not-an-index"));

        Throwable refusedWithout = org.assertj.core.api.Assertions.catchThrowable(
                () -> total(repository(null), "odd-event"));
        assertThat(refusedWithout).isNotNull();

        try (var ahead = cache.checkAhead(java.util.List.of("odd-snapshot", "odd-event", "fine"))) {
            // as without the read ahead: Axon rebuilds from the events past a snapshot it cannot read, and the
            // stream with a document that is not an event fails its own load only, the same way
            assertThat(total(repository, "odd-snapshot")).isEqualTo(3);
            assertThatThrownBy(() -> total(repository, "odd-event")).isInstanceOf(refusedWithout.getClass());
            assertThat(total(repository, "fine")).isEqualTo(3);
        }
    }
}
