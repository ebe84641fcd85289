package org.ccmledger.ledger;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.axonframework.eventhandling.TrackingToken;

import com.mongodb.MongoInterruptedException;

/**
 * Tracking reads made once for every stream of one store that asks for the same batch at about the same time: the
 * segments of a processor, and processors rebuilt together, follow the same tokens (a segment's token passes the other
 * segments' events too), so their reads after a token are the same read. {@link RecentEvents} alone did not spare the
 * second read: two segments reading ahead side by side ask for a batch at the same moment, each before the other has
 * verified it, so a rebuild of billing's two segments still read and verified 85,255–91,739 events to pass 66,400.
 * <p>
 * A read after a token that another stream is making is waited for and its batch handed on; a batch read while the
 * reader was behind ({@link ReadAhead.Batch#leadsOn}) is handed on for {@link RecentEvents#FRESH_MILLIS} after it was
 * read, as its events would be. Handing on a batch read moments before is what reading ahead does already: the events
 * after the token as they stood when read, gaps kept in the tokens. A batch at the head (nothing beyond it reserved) is
 * not kept, so a stream waiting for new events always reads again, and a read that fails is not shared (each stream
 * reads, and fails, itself). At most {@code capacity} batches are kept, the oldest dropped first.
 */
final class SharedReads {

    private record Key(TrackingToken after, int batchSize) {
    }

    /** A read in flight or made: its batch once read, and when it was read (the store's clock). */
    private static final class Read {
        final CompletableFuture<ReadAhead.Batch> batch = new CompletableFuture<>();
        volatile long readAt;
    }

    private final Map<Key, Read> reads = new ConcurrentHashMap<>();
    private final int capacity;
    private final LongSupplier clock;

    /** @param capacity batches kept at most; {@code clock} the store's, in milliseconds */
    SharedReads(int capacity, LongSupplier clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    /** The batch after {@code after}: another stream's read of it when one is in flight or fresh, else {@code reader}'s. */
    ReadAhead.Batch read(TrackingToken after, int batchSize, Supplier<ReadAhead.Batch> reader) {
        Key key = new Key(after, batchSize);
        while (true) {
            Read mine = new Read();
            Read other = reads.putIfAbsent(key, mine);
            if (other == null) {
                return make(key, mine, reader);
            }
            ReadAhead.Batch shared = handedOn(other);
            if (shared != null) {
                return shared;
            }
            reads.remove(key, other); // failed or no longer fresh: read again
        }
    }

    private ReadAhead.Batch make(Key key, Read mine, Supplier<ReadAhead.Batch> reader) {
        ReadAhead.Batch batch;
        try {
            batch = reader.get();
        } catch (RuntimeException | Error e) {
            reads.remove(key, mine);
            mine.batch.completeExceptionally(e);
            throw e;
        }
        mine.readAt = clock.getAsLong();
        mine.batch.complete(batch);
        if (batch.leadsOn()) {
            dropBeyondCapacity();
        } else {
            reads.remove(key, mine);
        }
        return batch;
    }

    /** The batch of another stream's read, waiting while it is made; {@code null} when it failed or is not fresh. */
    private ReadAhead.Batch handedOn(Read other) {
        ReadAhead.Batch batch;
        try {
            batch = other.batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MongoInterruptedException("Interrupted while waiting for a batch of events", e);
        } catch (ExecutionException | CancellationException e) {
            return null;
        }
        long age = clock.getAsLong() - other.readAt;
        return age >= 0 && age < RecentEvents.FRESH_MILLIS ? batch : null;
    }

    private void dropBeyondCapacity() {
        int over = reads.size() - capacity;
        if (over <= 0) {
            return;
        }
        reads.entrySet().stream().filter(e -> e.getValue().batch.isDone())
             .sorted(Comparator.comparingLong(e -> e.getValue().readAt)).limit(over)
             .forEach(e -> reads.remove(e.getKey(), e.getValue()));
    }
}
