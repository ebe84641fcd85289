package org.ccmledger.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.LongStream;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.serialization.Serializer;
import org.bson.BsonDocument;
import org.bson.Document;
import org.ccmledger.ledger.CommitSealer.Prepared;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.ServerAddress;
import com.mongodb.TransactionOptions;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.InsertManyOptions;

/**
 * The append path of {@link MongoEventStorageEngine}: serializes a commit, reserves its block of global indexes,
 * seals each event onto its aggregate's hash chain ({@link CommitSealer}), inserts the commit within its deadline and, when the insert fails
 * or its outcome is unknown, decides the commit's indexes with tombstones ({@link #committedDespite}).
 * Logs under the engine's name.
 */
final class EventAppender {

    private static final Logger log = LoggerFactory.getLogger(MongoEventStorageEngine.class);

    /** The server's code for a command it does not know. */
    private static final int COMMAND_NOT_FOUND = 59;

    private final LedgerCollections collections;
    private final MongoClient transactionClient;
    private final Clock clock;
    private final Duration commitDeadline;
    private final LedgerMetrics metrics;
    private final ReadCheck check;
    private final CommitSealer sealer;
    private final BiConsumer<List<Document>, Duration> insertStep;
    /** Whether the server has the embedded server's {@code ccmAppend}; {@code null} until first asked. */
    private volatile Boolean appendCommand;
    private final BiConsumer<Exception, EventMessage<?>> persistenceFailure;

    /**
     * @param insertStep         inserts a commit's documents within the time left: the engine's {@link
     *                           MongoEventStorageEngine#insert}, which ends in {@link #insert} (tests override it)
     * @param persistenceFailure Axon's translation of a storage failure into the exception its caller sees; throws
     */
    EventAppender(LedgerCollections collections, MongoClient transactionClient, Clock clock, Duration commitDeadline,
                  LedgerMetrics metrics, ReadCheck check, BiConsumer<List<Document>, Duration> insertStep,
                  BiConsumer<Exception, EventMessage<?>> persistenceFailure) {
        this.collections = collections;
        this.transactionClient = transactionClient;
        this.clock = clock;
        this.commitDeadline = commitDeadline;
        this.metrics = metrics;
        this.check = check;
        this.sealer = new CommitSealer(check);
        this.insertStep = insertStep;
        this.persistenceFailure = persistenceFailure;
    }

    /** Appends one commit: all of its events, or (with the limit in {@code docs/ledger.md}) none. */
    void append(List<? extends EventMessage<?>> events, Serializer serializer) {
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
            sealed = sealer.seal(prepared, first, reservedAt);
            Duration left = commitDeadline.minus(Duration.between(reservedAt, clock.instant()));
            if (left.isNegative() || left.isZero()) {
                throw new EventStoreException("The commit missed its deadline of " + commitDeadline
                                                      + " after reserving its global indexes");
            }
            insertStep.accept(sealed.stream().map(StoredEvent::toDocument).toList(), left);
        } catch (RuntimeException failure) {
            if (!committedDespite(failure, first, last, prepared, reservedAt)) {
                throwTranslated(failure, events);
            }
        }
        if (sealed != null) {
            sealed.forEach(e -> check.hashes().remember(e.streamKey(), e.hash()));
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
            List<Document> stored = LongStream.rangeClosed(first, last).mapToObj(occupants::get).toList();
            StreamHeads.write(collections.streamHeads(), StreamHeads.of(stored), null);
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
        persistenceFailure.accept(failure, failed);
    }

    /**
     * Inserts the commit's documents, and moves their streams' heads ({@link StreamHeads}), within the time left before
     * its deadline, all or nothing where the database allows: with a transaction client inside a transaction whose
     * commit is bounded by the deadline and is not retried (an unknown commit result is decided by
     * {@link #committedDespite}); on the embedded server with its atomic {@code ccmAppend}; elsewhere (a standalone
     * MongoDB) as one ordered {@code insertMany} followed by the head updates.
     */
    void insert(List<Document> documents, Duration timeLeft) {
        long millis = timeLeft.toMillis();
        MongoCollection<Document> events = collections.events().withTimeout(millis, TimeUnit.MILLISECONDS);
        MongoCollection<Document> heads = collections.streamHeads().withTimeout(millis, TimeUnit.MILLISECONDS);
        List<StreamHeads.Head> moves = StreamHeads.of(documents);
        InsertManyOptions ordered = new InsertManyOptions().ordered(true);
        if (transactionClient == null) {
            if (!appendAtomically(documents, moves, millis)) {
                events.insertMany(documents, ordered);
                StreamHeads.write(heads, moves, null);
            }
            return;
        }
        try (ClientSession session = transactionClient.startSession()) {
            session.startTransaction(TransactionOptions.builder()
                                                       .maxCommitTime(millis, TimeUnit.MILLISECONDS)
                                                       .build());
            try {
                events.insertMany(session, documents, ordered);
                StreamHeads.write(heads, moves, session);
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

    /**
     * The embedded server's atomic append: the events and their heads in one command, made durable by one commit
     * (before it is answered, or with the caller's own journaled write that follows: {@link DurableWithAnswer}).
     * Returns {@code false} when the server does not know the command (a real MongoDB), after which it is not asked
     * again. Write errors come back as the {@link MongoBulkWriteException} an {@code insertMany} would throw.
     */
    private boolean appendAtomically(List<Document> documents, List<StreamHeads.Head> moves, long millis) {
        if (Boolean.FALSE.equals(appendCommand)) {
            return false;
        }
        Document reply;
        try {
            reply = collections.database().withTimeout(millis, TimeUnit.MILLISECONDS).runCommand(
                    new Document("ccmAppend", "events").append("documents", documents)
                            .append("heads", StreamHeads.COLLECTION)
                            .append("updates", moves.stream().map(StreamHeads.Head::asCommand).toList())
                            .append("answerFirst", DurableWithAnswer.active()));
        } catch (MongoCommandException e) {
            if (e.getErrorCode() == COMMAND_NOT_FOUND) {
                appendCommand = Boolean.FALSE;
                return false;
            }
            throw e;
        }
        appendCommand = Boolean.TRUE;
        List<Document> errors = reply.getList("writeErrors", Document.class, List.of());
        if (!errors.isEmpty()) {
            List<BulkWriteError> bulkErrors = errors.stream()
                    .map(e -> new BulkWriteError(((Number) e.get("code")).intValue(), e.getString("errmsg"),
                                                 new BsonDocument(), ((Number) e.get("index")).intValue()))
                    .toList();
            int stored = reply.get("n") instanceof Number n ? n.intValue() : 0;
            throw new MongoBulkWriteException(BulkWriteResult.acknowledged(stored, 0, 0, 0,
                                                                           List.of(), List.of()),
                                              bulkErrors, null, new ServerAddress(), Set.of());
        }
        return true;
    }
}
