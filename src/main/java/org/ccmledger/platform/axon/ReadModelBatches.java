package org.ccmledger.platform.axon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.bson.Document;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;

/**
 * A read model's writes for one batch of events of its tracking processor, kept in memory while the batch is handled
 * and written in one bulk write per collection once its last event has been handled.
 * <p>
 * Why at the last event and not at commit: without a transaction manager, Axon's tracking processor stores the batch's
 * token in the unit of work's prepare-commit phase, in a handler it registers before any event of the batch is
 * handled; writes left for a later prepare-commit handler could be lost after the token moved on. Written while the
 * last event is handled, they are in the database before the token says so. A batch that fails is rolled back and its
 * events delivered again, so a read model batched this way must ignore an event it has already applied (as every
 * read model here does). Outside a batching unit of work (a replay of one event, a test) each event is written at
 * once. The prepare-commit handler registered with the batch is a safety net that writes what is left.
 */
public final class ReadModelBatches {

    /** What a batch does with what it collected. */
    public interface Batch {
        /** Writes what was collected since the last flush; nothing when nothing was. */
        void flush();
    }

    /** The unit of work's resource listing its batches. */
    private static final String OPEN = ReadModelBatches.class.getName() + ".open";

    private ReadModelBatches() {
    }

    /**
     * A read model's collection, whose writes are answered once applied, without waiting for the database's journal
     * ({@code writeConcern: {j: false}}): on the embedded server they become durable with the next commit, at the
     * latest a second later ({@code DurableH2Backend}), instead of each waiting for an fsync of its
     * own that competes with the ledger's appends. A crash may lose a read model's last writes, with the processor's
     * token written after them (its tokens are written the same way, and a commit keeps every write applied before it),
     * so the processor handles those events again, which every read model here tolerates (see above).
     */
    public static MongoCollection<Document> collection(MongoDatabase database, String name) {
        MongoCollection<Document> collection = database.getCollection(name);
        return collection.withWriteConcern(collection.getWriteConcern().withJournal(false));
    }

    /** The batch of the current unit of work under {@code key}, made with {@code create} on the batch's first event. */
    public static <B extends Batch> B current(String key, Supplier<B> create) {
        if (!CurrentUnitOfWork.isStarted()) {
            return create.get();
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        B existing = root.getResource(key);
        if (existing != null) {
            return existing;
        }
        B batch = create.get();
        root.resources().put(key, batch);
        root.<List<Batch>>getOrComputeResource(OPEN, o -> new ArrayList<>()).add(batch);
        root.onPrepareCommit(u -> batch.flush());
        return batch;
    }

    /**
     * Writes every batch of the unit of work once its last message has passed, whether or not a handler of the
     * processor took that message: with more than one segment, or a read model that handles some event types only, the
     * batch's last message often belongs to no handler here, and {@link #handled} alone would leave the writes to the
     * prepare-commit safety net, after the token. Registered for every processor ({@code AxonLedgerConfiguration}):
     * a processor's interceptors see every message of its batch, its segment's or not.
     */
    public static MessageHandlerInterceptor<EventMessage<?>> flushAtBatchEnd() {
        return (unitOfWork, chain) -> {
            Object result = chain.proceed();
            if (unitOfWork instanceof BatchingUnitOfWork<?> batching && batching.isLastMessage()) {
                List<Batch> open = batching.root().getResource(OPEN);
                if (open != null) {
                    open.forEach(Batch::flush);
                }
            }
            return result;
        };
    }

    /**
     * Every message of the current batch, known from its first event on: what a read model reads ahead, with one
     * {@code $in} per collection instead of a lookup per event. Empty outside a batch.
     */
    public static List<? extends Message<?>> messages() {
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?> batching) {
            return batching.getMessages();
        }
        return List.of();
    }

    /** Called when a handler has handled an event: writes the batch when that event was the batch's last. */
    public static void handled(Batch batch) {
        if (!CurrentUnitOfWork.isStarted()
                || !(CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?> batching)
                || batching.isLastMessage()) {
            batch.flush();
        }
    }

    /**
     * The current batch's writes under {@code key} for a read model whose every change is a write by key: one ordered
     * bulk write per collection when the batch ends, the collections in {@code flushOrder} (so that what a reader
     * follows, such as a list of keys, is written after what it points to). Call {@link #handled} after adding.
     */
    @SafeVarargs
    public static OrderedWrites writes(String key, MongoCollection<Document>... flushOrder) {
        return current(key, () -> new OrderedWrites(flushOrder));
    }

    /** A batch's writes per collection, in the order they were queued. */
    public static final class OrderedWrites implements Batch {

        private final Map<MongoCollection<Document>, List<WriteModel<Document>>> queued = new LinkedHashMap<>();

        private OrderedWrites(MongoCollection<Document>[] flushOrder) {
            for (MongoCollection<Document> collection : flushOrder) {
                queued.put(collection, new ArrayList<>());
            }
        }

        /** Queues a write to one of the batch's collections. */
        public void add(MongoCollection<Document> collection, WriteModel<Document> write) {
            List<WriteModel<Document>> writes = queued.get(collection);
            if (writes == null) {
                throw new IllegalArgumentException("not one of this batch's collections");
            }
            writes.add(write);
        }

        @Override
        public void flush() {
            queued.forEach((collection, writes) -> {
                if (!writes.isEmpty()) {
                    collection.bulkWrite(List.copyOf(writes), new BulkWriteOptions().ordered(true));
                    writes.clear();
                }
            });
        }
    }
}
