package org.ccmledger.ledger;

import static org.axonframework.common.BuilderUtils.assertNonNull;
import static org.axonframework.common.BuilderUtils.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.bson.Document;

import com.mongodb.client.MongoClient;

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
 * reader ({@code TrackingReader}) and the cache of stored hashes they share ({@code ChainHashes}).
 */
public class MongoEventStorageEngine extends BatchingEventStorageEngine {

    private final LedgerCollections collections;
    private final ReadCheck check;
    private final EventAppender appender;
    private final AggregateEvents aggregates;
    private final TrackingReader tracking;

    /**
     * Builds the engine from a validated builder and, unless {@link Builder#createIndexes(boolean)} says otherwise,
     * creates the ledger's collections and indexes.
     */
    protected MongoEventStorageEngine(Builder builder) {
        super(builder);
        ReadCheck check = new ReadCheck(new ChainHashes(builder.collections), builder.metrics,
                                        builder.verifyOnRead);
        this.collections = builder.collections;
        this.check = check;
        this.appender = new EventAppender(builder.collections, builder.transactionClient, builder.clock,
                                          builder.commitDeadline, builder.metrics, check, this::insert,
                                          this::handlePersistenceException);
        this.aggregates = new AggregateEvents(builder.collections, check, batchSize());
        this.tracking = new TrackingReader(builder.collections, builder.clock, builder.gapTimeout,
                                           builder.maxGapOffset, check, batchSize());
        if (builder.createIndexes) {
            builder.collections.ensureIndexes();
        }
    }

    /**
     * A builder; the {@link LedgerCollections} are required and the event and snapshot serializers are to be set
     * (see {@link Builder} for the defaults).
     */
    public static Builder builder() {
        return new Builder();
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
        return new HeadCheckedAggregateCache(collections, check, capacity);
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
        return tracking.fetch(lastToken, batchSize);
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

    /**
     * Builder of {@link MongoEventStorageEngine}. The {@link LedgerCollections} are a hard requirement; set the event
     * and snapshot serializers too (the ledger stores payloads as JSON text; left unset, Axon falls back to its
     * XStream serializer). Defaults: batch size 100, gap timeout 60 s, commit deadline 10 s, max gap offset
     * 1,000,000, no transaction client, the system UTC clock, indexes created on build, no metrics, a persistence
     * exception resolver that reports a duplicate {@code streamKey} (and only that) as a concurrent append, and
     * Axon's defaults otherwise (no upcasters, every snapshot allowed). An invalid value, a missing requirement or a
     * commit deadline not shorter than the gap timeout fails with an
     * {@link org.axonframework.common.AxonConfigurationException}.
     */
    public static class Builder extends BatchingEventStorageEngine.Builder {

        private LedgerCollections collections;
        private MongoClient transactionClient;
        private Clock clock = Clock.systemUTC();
        private Duration gapTimeout = Duration.ofSeconds(60);
        private Duration commitDeadline = Duration.ofSeconds(10);
        private int maxGapOffset = 1_000_000;
        private boolean createIndexes = true;
        private LedgerMetrics metrics = LedgerMetrics.NONE;
        private boolean verifyOnRead = true;

        protected Builder() {
            persistenceExceptionResolver(new DuplicateKeyResolver());
        }

        /** The ledger's collections. Required. */
        public Builder collections(LedgerCollections collections) {
            assertNonNull(collections, "LedgerCollections may not be null");
            this.collections = collections;
            return this;
        }

        /**
         * Appends each commit in a multi-document transaction of this client, so that a commit of several events is
         * all-or-nothing. Requires a replica set; leave unset against the embedded server, whose single commands are
         * already atomic. Default: unset.
         */
        public Builder transactionClient(MongoClient client) {
            this.transactionClient = client;
            return this;
        }

        /** The clock for recorded times and gap timeouts. Default: the system UTC clock. */
        public Builder clock(Clock clock) {
            assertNonNull(clock, "Clock may not be null");
            this.clock = clock;
            return this;
        }

        /** How long a reserved index without an event is waited for. Default 60 seconds. */
        public Builder gapTimeout(Duration gapTimeout) {
            assertThat(gapTimeout, t -> t != null && !t.isNegative(), "gapTimeout must be positive");
            this.gapTimeout = gapTimeout;
            return this;
        }

        /** How long after reserving its indexes a commit may still insert. Default 10 seconds. */
        public Builder commitDeadline(Duration commitDeadline) {
            assertThat(commitDeadline, t -> t != null && !t.isNegative() && !t.isZero(),
                       "commitDeadline must be positive");
            this.commitDeadline = commitDeadline;
            return this;
        }

        /**
         * How far below the newest index a gap is still tracked. Default 1,000,000: gaps are decided by age (the gap
         * timeout), this only bounds a token's size, and must exceed what the ledger appends within one commit
         * deadline.
         */
        public Builder maxGapOffset(int maxGapOffset) {
            assertThat(maxGapOffset, o -> o > 0, "maxGapOffset must be positive");
            this.maxGapOffset = maxGapOffset;
            return this;
        }

        /** Whether the engine creates its indexes when built. Default {@code true}. */
        public Builder createIndexes(boolean createIndexes) {
            this.createIndexes = createIndexes;
            return this;
        }

        /** Where append and gap figures go. Default: nowhere. */
        /**
         * Whether every event read is verified before it is handed on (its hash, key and link to its predecessor; a
         * failure is a {@link LedgerIntegrityException}). Default {@code true}; {@code false} only to measure what
         * verification costs.
         */
        public Builder verifyOnRead(boolean verifyOnRead) {
            this.verifyOnRead = verifyOnRead;
            return this;
        }

        public Builder metrics(LedgerMetrics metrics) {
            assertNonNull(metrics, "LedgerMetrics may not be null");
            this.metrics = metrics;
            return this;
        }

        @Override
        public Builder snapshotSerializer(Serializer snapshotSerializer) {
            super.snapshotSerializer(snapshotSerializer);
            return this;
        }

        @Override
        public Builder eventSerializer(Serializer eventSerializer) {
            super.eventSerializer(eventSerializer);
            return this;
        }

        @Override
        public Builder upcasterChain(EventUpcaster upcasterChain) {
            super.upcasterChain(upcasterChain);
            return this;
        }

        @Override
        public Builder snapshotFilter(SnapshotFilter snapshotFilter) {
            super.snapshotFilter(snapshotFilter);
            return this;
        }

        /** Default: a resolver that reports a duplicate {@code streamKey} as a concurrent append. */
        @Override
        public Builder persistenceExceptionResolver(PersistenceExceptionResolver resolver) {
            super.persistenceExceptionResolver(resolver);
            return this;
        }

        /** Keys per read: the tracking window and the largest aggregate window. Default 100. */
        @Override
        public Builder batchSize(int batchSize) {
            super.batchSize(batchSize);
            return this;
        }

        /** Validates this builder and builds the engine. */
        public MongoEventStorageEngine build() {
            return new MongoEventStorageEngine(this);
        }

        @Override
        protected void validate() {
            super.validate();
            assertNonNull(collections, "LedgerCollections is a hard requirement and should be provided");
            assertThat(commitDeadline, d -> d.compareTo(gapTimeout) < 0,
                       "commitDeadline must be shorter than gapTimeout, or an event could be skipped");
        }
    }
}
