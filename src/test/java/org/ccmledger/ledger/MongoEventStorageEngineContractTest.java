package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.eventsourcing.utils.EventStoreTestUtils.AGGREGATE;
import static org.axonframework.eventsourcing.utils.EventStoreTestUtils.createEvent;
import static org.axonframework.eventsourcing.utils.EventStoreTestUtils.createEvents;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngineTest;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Axon's own contract for storage engines ({@code BatchingEventStorageEngineTest}, {@code AbstractEventStorageEngineTest},
 * {@code EventStorageEngineTest} from Axon's test jars), run against our engine on the embedded server. Each test
 * overridden here is where the ledger deliberately differs, and says why; the rest run as Axon wrote them.
 */
class MongoEventStorageEngineContractTest
        extends BatchingEventStorageEngineTest<MongoEventStorageEngine, MongoEventStorageEngineBuilder> {

    private LedgerFixture ledger;
    private MutableClock clock;
    private MongoEventStorageEngine engine;

    @BeforeEach
    void startStore() {
        ledger = LedgerFixture.inMemory();
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        engine = createEngine();
        setTestSubject(engine);
    }

    @AfterEach
    void stopStore() {
        ledger.close();
    }

    @Override
    protected MongoEventStorageEngine createEngine(UnaryOperator<MongoEventStorageEngineBuilder> customization) {
        return customization.apply(ledger.engineBuilder().clock(clock)).build();
    }

    private long stored() {
        return ledger.collections().events().countDocuments(com.mongodb.client.model.Filters.exists("tombstone", false));
    }

    // ---------------------------------------------------------------- a stream starts at 0 and has no gaps

    /**
     * Axon appends event 1 twice to an aggregate that has no event 0. An aggregate's stream starts at 0 here: every
     * event names the hash of the one before it, so event 1 without event 0 is refused as a broken chain. Of the
     * duplicate itself, appended to a stream that exists, the second is the {@code ConcurrencyException} Axon asks for.
     */
    @Test
    @Override
    public void storeDuplicateEventWithExceptionTranslator() {
        assertThrows(EventStoreException.class, () -> engine.appendEvents(createEvent(1), createEvent(1)));
        assertThat(stored()).isZero();

        engine.appendEvents(createEvent(0));
        assertThrows(ConcurrencyException.class, () -> engine.appendEvents(createEvent(1), createEvent(1)));
        assertThat(stored()).as("the commit that failed stored nothing").isEqualTo(1);
    }

    /**
     * The same event identifier twice in one commit, for event 1 of two aggregates: as above, the streams must exist
     * first; then it is the {@code ConcurrencyException} Axon asks for, and nothing of the commit is stored.
     */
    @Test
    @Override
    public void uniqueKeyConstraintOnEventIdentifier() {
        engine.appendEvents(createEvent(AGGREGATE, 0), createEvent("otherAggregate", 0));

        assertThrows(ConcurrencyException.class,
                     () -> engine.appendEvents(createEvent("id", AGGREGATE, 1), createEvent("id", "otherAggregate", 1)));
        assertThat(stored()).isEqualTo(2);
    }

    /** An event appended again in a later commit (a retried append) is refused on its event identifier. */
    @Test
    void anEventAppendedTwiceIsStoredOnce() {
        DomainEventMessage<String> event = createEvent("same-id", AGGREGATE, 0);
        engine.appendEvents(event);

        assertThrows(RuntimeException.class, () -> engine.appendEvents(createEvent("same-id", "otherAggregate", 0)));
        assertThat(stored()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- a snapshot sits on the aggregate's chain

    /**
     * Axon stores snapshots of events it never appended. A snapshot here records the hash of the event it folds up to
     * and is checked against it when loaded, so a snapshot of an event the store does not hold is not kept; with the
     * events there, the snapshot furthest on is kept, as Axon asks.
     */
    @Test
    @Override
    public void storeAndLoadSnapshot() {
        engine.storeSnapshot(createEvent(0));
        assertThat(engine.readSnapshot(AGGREGATE)).isEmpty();

        engine.appendEvents(createEvents(4));
        engine.storeSnapshot(createEvent(0));
        engine.storeSnapshot(createEvent(1));
        engine.storeSnapshot(createEvent(3));
        engine.storeSnapshot(createEvent(2));
        assertThat(engine.readSnapshot(AGGREGATE)).get().extracting(DomainEventMessage::getSequenceNumber)
                                                  .isEqualTo(3L);
    }

    /** As {@link #storeAndLoadSnapshot()}: the snapshot's event must be stored for the filter to see a snapshot. */
    @Test
    @Override
    public void snapshotFilterAllowsSnapshots() {
        MongoEventStorageEngine allowing = createEngine(builder -> builder.snapshotFilter(SnapshotFilter.allowAll()));
        allowing.appendEvents(createEvents(2));
        allowing.storeSnapshot(createEvent(1));

        assertThat(allowing.readSnapshot(AGGREGATE)).isPresent();
    }

    @Test
    @Override
    public void snapshotFilterRejectsSnapshots() {
        MongoEventStorageEngine rejecting = createEngine(builder -> builder.snapshotFilter(SnapshotFilter.rejectAll()));
        rejecting.appendEvents(createEvents(2));
        rejecting.storeSnapshot(createEvent(1));

        assertThat(rejecting.readSnapshot(AGGREGATE)).isEmpty();
        assertThat(engine.readSnapshot(AGGREGATE)).as("stored, only filtered").isPresent();
    }

    @Test
    @Override
    public void snapshotFilterRejectsSnapshotsOnCombinedFilter() {
        MongoEventStorageEngine rejecting = createEngine(builder -> builder.snapshotFilter(
                SnapshotFilter.allowAll().combine(SnapshotFilter.rejectAll())));
        rejecting.appendEvents(createEvents(2));
        rejecting.storeSnapshot(createEvent(1));

        assertThat(rejecting.readSnapshot(AGGREGATE)).isEmpty();
    }

    // ---------------------------------------------------------------- tail and head tokens, on proper streams

    /**
     * Axon's events here each sit on an aggregate of their own at sequence numbers 1 and 2, which a ledger whose
     * streams start at 0 refuses; the same three events on one stream, 0 to 2, are read from the tail in full.
     */
    @Test
    @Override
    public void createTailToken() {
        List<DomainEventMessage<?>> events = createEvents(3);
        engine.appendEvents(events);

        assertThat(ids(readFrom(engine.createTailToken()))).containsExactlyElementsOf(ids(events));
    }

    /** As {@link #createTailToken()}: from the head token nothing is read. */
    @Test
    @Override
    public void createHeadToken() {
        engine.appendEvents(createEvents(3));

        assertThat(readFrom(engine.createHeadToken())).isEmpty();
    }

    // ---------------------------------------------------------------- tokens at an instant use the recorded time

    /**
     * Axon places a token by each message's own timestamp. The ledger places it by when the ledger recorded each event
     * (its {@code recordedAt}, which grows with the global index): what an auditor means by "what the ledger knew at
     * t", and the only time the store itself vouches for. The message timestamps here are far in the past and out of
     * order; they do not count.
     */
    @Test
    @Override
    public void createTokenAt() {
        List<DomainEventMessage<String>> events = appendRecordedAt("10:15:00", "10:15:40", "10:15:50");

        assertThat(ids(readFrom(engine.createTokenAt(at("10:15:30")))))
                .containsExactly(events.get(1).getIdentifier(), events.get(2).getIdentifier());
    }

    @Test
    @Override
    public void createTokenAtExactTime() {
        List<DomainEventMessage<String>> events = appendRecordedAt("10:15:30", "10:15:40", "10:15:50");

        assertThat(ids(readFrom(engine.createTokenAt(at("10:15:30")))))
                .containsExactlyElementsOf(ids(events));
    }

    @Test
    @Override
    public void createTokenWithUnorderedEvents() {
        List<DomainEventMessage<String>> events = appendRecordedAt("10:15:30", "10:15:40", "10:15:50", "10:15:55");

        assertThat(ids(readFrom(engine.createTokenAt(at("10:15:45")))))
                .containsExactly(events.get(2).getIdentifier(), events.get(3).getIdentifier());
    }

    @Test
    @Override
    public void createTokenAtTimeAfterLastEvent() {
        appendRecordedAt("10:15:30", "10:15:40");

        assertThat(readFrom(engine.createTokenAt(at("23:59:59")))).isEmpty();
    }

    @Test
    @Override
    public void createTokenAtTimeBeforeFirstEvent() {
        List<DomainEventMessage<String>> events = appendRecordedAt("10:15:30", "10:15:40");

        assertThat(ids(readFrom(engine.createTokenAt(at("00:00:01")))))
                .containsExactlyElementsOf(ids(events));
    }

    /** Appends one event per time, each recorded at that time of 3 December 2007 (its own timestamp is another). */
    private List<DomainEventMessage<String>> appendRecordedAt(String... times) {
        List<DomainEventMessage<String>> events = new java.util.ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < times.length; i++) {
            clock.advance(Duration.between(now, at(times[i])));
            now = at(times[i]);
            DomainEventMessage<String> event = new GenericDomainEventMessage<>(
                    "test", "stream-" + i, 0, "payload", MetaData.emptyInstance(), "event-" + i,
                    Instant.parse("1999-01-01T00:00:00Z").minusSeconds(i));
            engine.appendEvents(event);
            events.add(event);
        }
        return events;
    }

    private List<? extends EventMessage<?>> readFrom(TrackingToken token) {
        return engine.readEvents(token, false).toList();
    }

    private static Instant at(String time) {
        return Instant.parse("2007-12-03T" + time + "Z");
    }

    private static List<String> ids(List<? extends EventMessage<?>> events) {
        return events.stream().map(EventMessage::getIdentifier).toList();
    }
}
