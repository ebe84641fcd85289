package org.ccmledger.ledger;

import static org.axonframework.common.BuilderUtils.assertNonNull;
import static org.axonframework.common.BuilderUtils.assertThat;

import java.time.Clock;
import java.time.Duration;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;

import com.mongodb.client.MongoClient;

/**
 * Builder of {@link MongoEventStorageEngine}. The {@link LedgerCollections} are a hard requirement; set the event
 * and snapshot serializers too (the ledger stores payloads as JSON text; left unset, Axon falls back to its
 * XStream serializer). Defaults: batch size 100, gap timeout 60 s, commit deadline 10 s, max gap offset
 * 1,000,000, no transaction client, the system UTC clock, indexes created on build, no metrics, a persistence
 * exception resolver that reports a duplicate {@code streamKey} (and only that) as a concurrent append, 4 batches
 * read ahead, and Axon's defaults otherwise (no upcasters, every snapshot allowed). An invalid value, a missing
 * requirement or a commit deadline not shorter than the gap timeout fails with an
 * {@link org.axonframework.common.AxonConfigurationException}.
 */
public class MongoEventStorageEngineBuilder extends BatchingEventStorageEngine.Builder {

    // read by the engine's constructor (same package); set only through the methods below
    LedgerCollections collections;
    MongoClient transactionClient;
    Clock clock = Clock.systemUTC();
    Duration gapTimeout = Duration.ofSeconds(60);
    Duration commitDeadline = Duration.ofSeconds(10);
    int maxGapOffset = 1_000_000;
    boolean createIndexes = true;
    LedgerMetrics metrics = LedgerMetrics.NONE;
    boolean verifyOnRead = true;
    int readAhead = 4;

    MongoEventStorageEngineBuilder() {
        persistenceExceptionResolver(new DuplicateKeyResolver());
    }

    /** The ledger's collections. Required. */
    public MongoEventStorageEngineBuilder collections(LedgerCollections collections) {
        assertNonNull(collections, "LedgerCollections may not be null");
        this.collections = collections;
        return this;
    }

    /**
     * Appends each commit in a multi-document transaction of this client, so that a commit of several events is
     * all-or-nothing. Requires a replica set; leave unset against the embedded server, whose single commands are
     * already atomic. Default: unset.
     */
    public MongoEventStorageEngineBuilder transactionClient(MongoClient client) {
        this.transactionClient = client;
        return this;
    }

    /** The clock for recorded times and gap timeouts. Default: the system UTC clock. */
    public MongoEventStorageEngineBuilder clock(Clock clock) {
        assertNonNull(clock, "Clock may not be null");
        this.clock = clock;
        return this;
    }

    /** How long a reserved index without an event is waited for. Default 60 seconds. */
    public MongoEventStorageEngineBuilder gapTimeout(Duration gapTimeout) {
        assertThat(gapTimeout, t -> t != null && !t.isNegative(), "gapTimeout must be positive");
        this.gapTimeout = gapTimeout;
        return this;
    }

    /** How long after reserving its indexes a commit may still insert. Default 10 seconds. */
    public MongoEventStorageEngineBuilder commitDeadline(Duration commitDeadline) {
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
    public MongoEventStorageEngineBuilder maxGapOffset(int maxGapOffset) {
        assertThat(maxGapOffset, o -> o > 0, "maxGapOffset must be positive");
        this.maxGapOffset = maxGapOffset;
        return this;
    }

    /** Whether the engine creates its indexes when built. Default {@code true}. */
    public MongoEventStorageEngineBuilder createIndexes(boolean createIndexes) {
        this.createIndexes = createIndexes;
        return this;
    }

    /**
     * Whether every event read is verified before it is handed on (its hash, key and link to its predecessor; a
     * failure is a {@link LedgerIntegrityException}). Default {@code true}; {@code false} only to measure what
     * verification costs.
     */
    public MongoEventStorageEngineBuilder verifyOnRead(boolean verifyOnRead) {
        this.verifyOnRead = verifyOnRead;
        return this;
    }

    /**
     * Batches a tracking stream that is behind reads ahead on another thread while the current one is handled; 0
     * reads each batch when it is asked for. Default 4.
     */
    public MongoEventStorageEngineBuilder readAhead(int batches) {
        assertThat(batches, b -> b >= 0, "readAhead may not be negative");
        this.readAhead = batches;
        return this;
    }

    /** Where append and gap figures go. Default: nowhere. */
    public MongoEventStorageEngineBuilder metrics(LedgerMetrics metrics) {
        assertNonNull(metrics, "LedgerMetrics may not be null");
        this.metrics = metrics;
        return this;
    }

    @Override
    public MongoEventStorageEngineBuilder snapshotSerializer(Serializer snapshotSerializer) {
        super.snapshotSerializer(snapshotSerializer);
        return this;
    }

    @Override
    public MongoEventStorageEngineBuilder eventSerializer(Serializer eventSerializer) {
        super.eventSerializer(eventSerializer);
        return this;
    }

    @Override
    public MongoEventStorageEngineBuilder upcasterChain(EventUpcaster upcasterChain) {
        super.upcasterChain(upcasterChain);
        return this;
    }

    @Override
    public MongoEventStorageEngineBuilder snapshotFilter(SnapshotFilter snapshotFilter) {
        super.snapshotFilter(snapshotFilter);
        return this;
    }

    /** Default: a resolver that reports a duplicate {@code streamKey} as a concurrent append. */
    @Override
    public MongoEventStorageEngineBuilder persistenceExceptionResolver(PersistenceExceptionResolver resolver) {
        super.persistenceExceptionResolver(resolver);
        return this;
    }

    /** Keys per read: the tracking window and the largest aggregate window. Default 100. */
    @Override
    public MongoEventStorageEngineBuilder batchSize(int batchSize) {
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
