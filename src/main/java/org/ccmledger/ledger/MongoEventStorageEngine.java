package org.ccmledger.ledger;

import static org.axonframework.common.BuilderUtils.assertNonNull;
import static org.axonframework.common.BuilderUtils.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;


import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.TransactionOptions;
import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;

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
 */
public class MongoEventStorageEngine extends BatchingEventStorageEngine {

    private static final Logger log = LoggerFactory.getLogger(MongoEventStorageEngine.class);

    private final LedgerCollections collections;
    private final MongoClient transactionClient;
    private final Clock clock;
    private final Duration commitDeadline;
    private final LedgerMetrics metrics;
    private final ChainHashes hashes;
    private final AggregateEvents aggregates;
    private final TrackingReader tracking;

    protected MongoEventStorageEngine(Builder builder) {
        super(builder);
        this.collections = builder.collections;
        this.transactionClient = builder.transactionClient;
        this.clock = builder.clock;
        this.commitDeadline = builder.commitDeadline;
        this.metrics = builder.metrics;
        this.hashes = new ChainHashes(collections);
        this.aggregates = new AggregateEvents(collections, hashes, batchSize());
        this.tracking = new TrackingReader(collections, clock, builder.gapTimeout, builder.maxGapOffset, metrics,
                                           batchSize());
        if (builder.createIndexes) {
            collections.ensureIndexes();
        }
    }

    /**
     * A builder; the event and snapshot serializers and the {@link LedgerCollections} are required.
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- append

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        List<Prepared> prepared = events.stream().map(e -> Prepared.of(e, serializer)).toList();
        Instant reservedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long last = collections.reserve(events.size());
        long first = last - events.size() + 1;
        List<StoredEvent> sealed = null;
        try {
            sealed = seal(prepared, first, reservedAt);
            Duration left = commitDeadline.minus(Duration.between(reservedAt, clock.instant()));
            if (left.isNegative() || left.isZero()) {
                throw new EventStoreException("The commit missed its deadline of " + commitDeadline
                                                      + " after reserving its global indexes");
            }
            insert(sealed.stream().map(StoredEvent::toDocument).toList(), left);
        } catch (RuntimeException failure) {
            if (!committedDespite(failure, first, last, prepared, reservedAt)) {
                throwTranslated(failure, events);
            }
        }
        if (sealed != null) {
            sealed.forEach(e -> hashes.remember(e.streamKey(), e.hash()));
        }
        metrics.appended(events.size(), System.nanoTime() - started);
    }

    /**
     * Decides the slots of a commit whose insert failed or whose outcome is unknown (a timeout, a lost connection,
     * an unknown transaction commit result): a tombstone is inserted into every slot; where the slot is already
     * taken, the event got there first. Returns {@code true} when all of the commit's events are stored (the
     * failure was only in the reply), {@code false} when none are.
     */
    private boolean committedDespite(RuntimeException failure, long first, long last, List<Prepared> prepared,
                                     Instant reservedAt) {
        Set<Long> taken;
        try {
            taken = collections.tombstone(LongStream.rangeClosed(first, last).boxed().toList(), reservedAt,
                                          "commit failed");
        } catch (MongoException e) {
            log.warn("A commit failed and its global indexes {}..{} could not be decided now; trackers decide "
                             + "them after the gap timeout", first, last);
            return false;
        }
        if (taken.isEmpty()) {
            return false;
        }
        Map<Long, Document> occupants = new HashMap<>();
        collections.events().find(Filters.in("_id", taken))
                   .forEach(d -> occupants.put(d.get("_id", Number.class).longValue(), d));
        long ours = LongStream.rangeClosed(first, last)
                              .filter(i -> occupants.containsKey(i) && !StoredEvent.isTombstone(occupants.get(i))
                                      && prepared.get((int) (i - first)).identifier()
                                                 .equals(occupants.get(i).getString(StoredEvent.EVENT_IDENTIFIER)))
                              .count();
        if (ours == prepared.size()) {
            log.info("A commit reported {} but is stored in full", failure.getClass().getSimpleName());
            return true;
        }
        if (ours > 0) {
            log.error("A commit of {} events is stored in part ({}) after {}: without transactions a command "
                              + "that touches several aggregates is not atomic", prepared.size(), ours,
                      failure.getClass().getSimpleName());
            throw new EventStoreException("The commit was stored in part", failure);
        }
        return false;
    }

    private void throwTranslated(RuntimeException failure, List<? extends EventMessage<?>> events) {
        if (failure instanceof EventStoreException) {
            throw failure;
        }
        EventMessage<?> failed = events.get(0);
        if (failure instanceof MongoBulkWriteException bulk && !bulk.getWriteErrors().isEmpty()) {
            failed = events.get(Math.min(bulk.getWriteErrors().get(0).getIndex(), events.size() - 1));
        }
        handlePersistenceException(failure, failed);
    }

    /**
     * Inserts the commit's documents within the time left before its deadline: one ordered {@code insertMany}, or,
     * with a transaction client, the same inside a transaction whose commit is bounded by the deadline and is not
     * retried (an unknown commit result is decided by {@link #committedDespite}).
     */
    void insert(List<Document> documents, Duration timeLeft) {
        MongoCollection<Document> events = collections.events().withTimeout(timeLeft.toMillis(), TimeUnit.MILLISECONDS);
        InsertManyOptions ordered = new InsertManyOptions().ordered(true);
        if (transactionClient == null) {
            events.insertMany(documents, ordered);
            return;
        }
        try (ClientSession session = transactionClient.startSession()) {
            session.startTransaction(TransactionOptions.builder()
                                                       .maxCommitTime(timeLeft.toMillis(), TimeUnit.MILLISECONDS)
                                                       .build());
            try {
                events.insertMany(session, documents, ordered);
                session.commitTransaction();
            } catch (RuntimeException e) {
                if (session.hasActiveTransaction()) {
                    try {
                        session.abortTransaction();
                    } catch (RuntimeException ignored) {
                        // the commit's outcome is decided by tombstones
                    }
                }
                throw e;
            }
        }
    }

    /** An event with its payload and metadata serialized, before any global index is reserved for it. */
    private record Prepared(EventMessage<?> event, SerializedObject<String> payload,
                            SerializedObject<String> metaData) {
        static Prepared of(EventMessage<?> event, Serializer serializer) {
            return new Prepared(event, event.serializePayload(serializer, String.class),
                                event.serializeMetaData(serializer, String.class));
        }

        String identifier() {
            return event.getIdentifier();
        }
    }

    private List<StoredEvent> seal(List<Prepared> events, long first, Instant recordedAt) {
        Map<String, String> lastHashInCommit = new HashMap<>();
        List<StoredEvent> sealed = new ArrayList<>(events.size());
        long index = first;
        for (Prepared prepared : events) {
            EventMessage<?> event = prepared.event();
            String aggregateId = null;
            String aggregateType = null;
            long sequence = 0;
            String streamKey = StoredEvent.standaloneStreamKey(event.getIdentifier());
            String previousHash = EventHash.GENESIS;
            if (event instanceof DomainEventMessage<?> domainEvent && domainEvent.getAggregateIdentifier() != null) {
                aggregateId = domainEvent.getAggregateIdentifier();
                aggregateType = domainEvent.getType();
                sequence = domainEvent.getSequenceNumber();
                streamKey = StoredEvent.streamKey(aggregateId, sequence);
                previousHash = previousHash(aggregateId, sequence, lastHashInCommit);
            }
            StoredEvent stored = new StoredEvent(index++, streamKey, aggregateId, sequence, aggregateType,
                                                 event.getIdentifier(), event.getTimestamp().toString(),
                                                 prepared.payload().getType().getName(),
                                                 prepared.payload().getType().getRevision(),
                                                 prepared.payload().getData(), prepared.metaData().getData(),
                                                 recordedAt, previousHash, null).sealed();
            if (aggregateId != null) {
                lastHashInCommit.put(aggregateId, stored.hash());
            }
            sealed.add(stored);
        }
        return sealed;
    }

    private String previousHash(String aggregateId, long sequence, Map<String, String> lastHashInCommit) {
        if (sequence == 0) {
            return EventHash.GENESIS;
        }
        String inCommit = lastHashInCommit.get(aggregateId);
        if (inCommit != null) {
            return inCommit;
        }
        String previous = hashes.hashOf(aggregateId, sequence - 1);
        if (previous == null) {
            // the aggregate's previous event is not in the store: writing this one would break its chain
            throw new EventStoreException("The previous event of an aggregate is missing; refusing to append");
        }
        return previous;
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        aggregates.storeSnapshot(snapshot, serializer);
    }

    // ---------------------------------------------------------------- aggregates

    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier,
                                                                   long firstSequenceNumber, int batchSize) {
        return aggregates.fetch(aggregateIdentifier, firstSequenceNumber, batchSize);
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readEventData(String identifier, long firstSequenceNumber) {
        return aggregates.stream(identifier, firstSequenceNumber);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return aggregates.lastSequenceNumber(aggregateIdentifier);
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        return aggregates.readSnapshot(aggregateIdentifier);
    }

    // ---------------------------------------------------------------- tracking

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        return tracking.fetch(lastToken, batchSize);
    }

    @Override
    public TrackingToken createTailToken() {
        return tracking.tailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return tracking.headToken();
    }

    /**
     * A token just before the first event recorded at or after {@code dateTime}: a binary search over global indexes
     * by key, since the recorded time grows with the global index.
     */
    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return tracking.tokenAt(dateTime);
    }

    /** Builder of {@link MongoEventStorageEngine}. */
    public static class Builder extends BatchingEventStorageEngine.Builder {

        private LedgerCollections collections;
        private MongoClient transactionClient;
        private Clock clock = Clock.systemUTC();
        private Duration gapTimeout = Duration.ofSeconds(60);
        private Duration commitDeadline = Duration.ofSeconds(10);
        private int maxGapOffset = 1_000_000;
        private boolean createIndexes = true;
        private LedgerMetrics metrics = LedgerMetrics.NONE;

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
        public Builder upcasterChain(org.axonframework.serialization.upcasting.event.EventUpcaster upcasterChain) {
            super.upcasterChain(upcasterChain);
            return this;
        }

        @Override
        public Builder snapshotFilter(org.axonframework.eventsourcing.snapshotting.SnapshotFilter snapshotFilter) {
            super.snapshotFilter(snapshotFilter);
            return this;
        }

        @Override
        public Builder persistenceExceptionResolver(PersistenceExceptionResolver resolver) {
            super.persistenceExceptionResolver(resolver);
            return this;
        }

        @Override
        public Builder batchSize(int batchSize) {
            super.batchSize(batchSize);
            return this;
        }

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
