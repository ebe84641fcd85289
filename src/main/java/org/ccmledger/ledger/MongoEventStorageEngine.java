package org.ccmledger.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.bson.Document;

/**
 * Axon {@link org.axonframework.eventsourcing.eventstore.EventStorageEngine} on MongoDB, written for this ledger.
 * <p>
 * Contract (details in {@code docs/ledger.md}):
 * <ul>
 *   <li>Every event gets a global index reserved through the database (one {@code $inc} per commit reserves a block)
 *   and stored as its document key; tracking reads fetch the next block of indexes by key.</li>
 *   <li>Per-aggregate sequence numbers are unique through the unique {@code streamKey}; of two concurrent commits
 *   to the same aggregate exactly one wins, the other surfaces as a
 *   {@link org.axonframework.modelling.command.ConcurrencyException}.</li>
 *   <li>Every reserved index ends up holding exactly one document: its event, or a tombstone inserted where the
 *   commit failed (by the committer) or timed out (by a tracker, after the gap timeout). The unique {@code _id}
 *   arbitrates, so an index is never both.</li>
 *   <li>Tracking follows {@link GapAwareTrackingToken}: a reserved index that has no document yet is a gap that later
 *   reads look for again; it is dropped only once a tombstone holds it. So a tracker never skips a stored event and
 *   never sees one twice.</li>
 *   <li>Each event carries the SHA-256 of its canonical form chained to the previous event of its aggregate
 *   ({@link EventHash}).</li>
 * </ul>
 * Defaults: batch size 100, gap timeout 60 s, commit deadline 10 s, max gap offset 1,000,000, transactions off (turn
 * them on against a replica set so that a commit of several events is all-or-nothing).
 * <p>
 * This class is the facade Axon calls; the work is done by package-private parts: the append path
 * ({@code EventAppender}), an aggregate's events and snapshot ({@code AggregateEvents}), the gap-aware tracking
 * reader ({@code TrackingReader}, its reads shared by streams asking at once, {@code SharedReads}) and the cache of
 * stored hashes they share ({@code ChainHashes}).
 */
public class MongoEventStorageEngine extends BatchingEventStorageEngine {

    private final EventAppender appender;
    private final AggregateEvents aggregates;
    private final TrackingReader tracking;
    private final SharedReads sharedReads;
    private final int readAhead;
    private final ExecutorService readAheadThreads;

    /**
     * Builds the engine from a validated builder and, unless {@link MongoEventStorageEngineBuilder#createIndexes(boolean)} says otherwise,
     * creates the ledger's collections and indexes.
     */
    protected MongoEventStorageEngine(MongoEventStorageEngineBuilder builder) {
        super(builder);
        ReadCheck check = new ReadCheck(new ChainHashes(builder.collections), builder.metrics,
                                        builder.verifyOnRead);
        this.appender = new EventAppender(builder.collections, builder.transactionClient, builder.clock,
                                          builder.commitDeadline, builder.metrics, check, this::insert,
                                          this::handlePersistenceException);
        this.aggregates = new AggregateEvents(builder.collections, check, batchSize());
        this.tracking = new TrackingReader(builder.collections, builder.clock, builder.gapTimeout,
                                           builder.maxGapOffset, check, batchSize());
        this.sharedReads = new SharedReads(16, builder.clock::millis);
        this.readAhead = builder.readAhead;
        this.readAheadThreads = builder.readAhead > 0 ? ReadAhead.threads() : null;
        if (builder.createIndexes) {
            builder.collections.ensureIndexes();
        }
    }

    /**
     * A builder; the {@link LedgerCollections} are required and the event and snapshot serializers are to be set
     * (see {@link MongoEventStorageEngineBuilder} for the defaults).
     */
    public static MongoEventStorageEngineBuilder builder() {
        return new MongoEventStorageEngineBuilder();
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        appender.append(events, serializer);
    }

    /**
     * Inserts one commit's sealed documents within {@code timeLeft}; every append goes through here. A seam for
     * tests, which override it to stall a commit or lose its reply.
     */
    void insert(List<Document> documents, Duration timeLeft) {
        appender.insert(documents, timeLeft);
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        aggregates.storeSnapshot(snapshot, serializer);
    }

    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier,
                                                                   long firstSequenceNumber, int batchSize) {
        return aggregates.fetch(aggregateIdentifier, firstSequenceNumber, batchSize);
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readEventData(String identifier, long firstSequenceNumber) {
        return aggregates.stream(identifier, firstSequenceNumber);
    }

    /**
     * A cache of aggregates kept between commands on this store, each used only while its stream is where it was left
     * and intact there ({@link HeadCheckedAggregateCache}), holding at most {@code capacity}.
     */
    public HeadCheckedAggregateCache aggregateCache(int capacity) {
        return aggregates.cache(capacity);
    }

    /** The sequence number of the aggregate's last event, empty when it has none; read by key from its snapshot on. */
    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return aggregates.lastSequenceNumber(aggregateIdentifier);
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        return aggregates.readSnapshot(aggregateIdentifier);
    }

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        return trackingRead(lastToken, batchSize).events();
    }

    /** A tracking read, made once for every stream of this store asking for it at the same time ({@link SharedReads}). */
    private ReadAhead.Batch trackingRead(TrackingToken after, int batchSize) {
        return sharedReads.read(after, batchSize, () -> tracking.read(after, batchSize));
    }

    /**
     * The events after {@code trackingToken}, batch by batch; while the reader is behind, the next batches are read
     * on another thread as the current one is handled ({@link ReadAhead},
     * {@link MongoEventStorageEngineBuilder#readAhead}).
     */
    @Override
    protected Stream<? extends TrackedEventData<?>> readEventData(TrackingToken trackingToken, boolean mayBlock) {
        int batchSize = batchSize();
        return ReadAhead.stream(after -> trackingRead(after, batchSize), trackingToken, readAheadThreads,
                                readAhead);
    }

    /** {@code null}: a processor starting at the tail reads from the first event. */
    @Override
    public TrackingToken createTailToken() {
        return tracking.tailToken();
    }

    /**
     * The highest reserved global index with no gaps, {@code null} for an empty ledger: a processor started at the
     * head does not wait for commits still in flight below it.
     */
    @Override
    public TrackingToken createHeadToken() {
        return tracking.headToken();
    }

    /**
     * A token just before the first event recorded at or after {@code dateTime} ({@code null} when that is at global
     * index 1 or the ledger is empty): a binary search over global indexes by key, since the recorded time grows
     * with the global index.
     */
    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return tracking.tokenAt(dateTime);
    }
}
