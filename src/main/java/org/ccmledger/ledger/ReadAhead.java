package org.ccmledger.ledger;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;

import com.mongodb.MongoInterruptedException;

/**
 * A tracking stream that reads its next batches while its consumer handles the current one. A processor catching up
 * or rebuilding spent its time in turns: waiting for a batch to be found, decoded and verified, then handling it and
 * waiting for its writes, one core idle at each turn. Here, once a read finds the reader behind (indexes reserved
 * beyond what it read), a background thread goes on reading, up to {@code depth} batches ahead, while the consumer
 * works; at the head, where the next read would find nothing yet, each read is made when asked for, as before.
 * <p>
 * What is handed on is exactly what the reads in turn would have handed on: each batch is read after the token of the
 * last event before it, and the consumer takes a batch only if it was read after its own last token (anything else is
 * dropped and read again). A read that fails (a forged event: {@link LedgerIntegrityException}) fails the consumer
 * when it reaches that batch, after the events before it. The consumer never depends on the thread: if it stops or
 * gives up, the consumer reads for itself. Closing the stream stops the thread.
 */
final class ReadAhead extends Spliterators.AbstractSpliterator<TrackedEventData<?>> {

    /**
     * One read: the events after {@code after}, and whether indexes were reserved beyond them ({@code behind}), so that
     * the next read would find more without waiting.
     */
    record Batch(TrackingToken after, List<? extends TrackedEventData<?>> events, boolean behind) {

        TrackingToken last() {
            return events.get(events.size() - 1).trackingToken();
        }

        boolean leadsOn() {
            return behind && !events.isEmpty();
        }
    }

    /** Reads one batch after a token. */
    @FunctionalInterface
    interface Reader {
        Batch read(TrackingToken after);
    }

    /** A read that failed, in its place in the queue. */
    private record Failure(TrackingToken after, RuntimeException error) {
    }

    /** How long the thread waits for room in the queue before it gives up on a consumer that stopped taking. */
    private static final long ABANDON_MILLIS = 60_000;
    private static final long POLL_MILLIS = 50;

    private final Reader reader;
    private final ExecutorService threads;
    private final int depth;
    private Run ahead;
    private volatile boolean closed;
    private TrackingToken last;
    private Iterator<? extends TrackedEventData<?>> current;
    private boolean ended;

    private ReadAhead(Reader reader, TrackingToken start, ExecutorService threads, int depth) {
        super(Long.MAX_VALUE, ORDERED | NONNULL | DISTINCT | CONCURRENT);
        this.reader = reader;
        this.last = start;
        this.threads = threads;
        this.depth = depth;
    }

    /**
     * The events after {@code start}, read {@code depth} batches ahead on {@code threads} while the reader is behind
     * ({@code depth} 0: each batch read when asked for); the stream ends at the first read that finds nothing.
     */
    static Stream<? extends TrackedEventData<?>> stream(Reader reader, TrackingToken start, ExecutorService threads,
                                                        int depth) {
        ReadAhead spliterator = new ReadAhead(reader, start, threads, depth);
        return StreamSupport.stream(spliterator, false).onClose(spliterator::close);
    }

    /** Threads for reading ahead: daemon threads made as streams need them, gone after a minute idle. */
    static ExecutorService threads() {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), work -> {
            Thread thread = new Thread(work, "ledger-read-ahead");
            thread.setDaemon(true); // a stopping JVM does not wait for reads no one will take
            return thread;
        });
    }

    @Override
    public boolean tryAdvance(Consumer<? super TrackedEventData<?>> action) {
        Objects.requireNonNull(action);
        while (current == null || !current.hasNext()) {
            if (ended) {
                return false;
            }
            Batch batch = next();
            if (batch.events().isEmpty()) {
                ended = true;
                return false;
            }
            current = batch.events().iterator();
            last = batch.last();
        }
        action.accept(current.next());
        return true;
    }

    /** The batch after {@link #last}: from the thread while it reads ahead, else read here. */
    private Batch next() {
        while (ahead != null) {
            Object taken = take(ahead.ready);
            if (taken == null) {
                if (ahead.task.isDone() && ahead.ready.isEmpty()) {
                    ahead = null; // it stopped without a batch for us: read here
                }
            } else if (taken instanceof Failure failure && Objects.equals(failure.after(), last)) {
                ahead = null;
                throw failure.error();
            } else if (taken instanceof Batch batch && Objects.equals(batch.after(), last)) {
                if (!batch.leadsOn()) {
                    ahead = null; // its last read: it has stopped
                }
                return batch;
            } else {
                stopReadingAhead(); // not what follows our last event (never expected): read here
            }
        }
        Batch batch = reader.read(last);
        if (batch.leadsOn() && depth > 0 && !closed) {
            startReadingAhead(batch.last());
        }
        return batch;
    }

    private static Object take(BlockingQueue<Object> ready) {
        try {
            return ready.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MongoInterruptedException("Interrupted while waiting for the next batch of events", e);
        }
    }

    private void startReadingAhead(TrackingToken from) {
        Run run = new Run(new ArrayBlockingQueue<>(depth));
        run.task = threads.submit(() -> readAhead(from, run));
        ahead = run;
    }

    private void stopReadingAhead() {
        ahead.stopped = true;
        ahead = null;
    }

    /**
     * One stretch of reading ahead: its queue of batches (and failures) in order, and its task. It is stopped by a
     * flag it checks between reads, never interrupted: an interrupt in the middle of a driver call closes that
     * connection.
     */
    private static final class Run {
        final BlockingQueue<Object> ready;
        volatile Future<?> task;
        volatile boolean stopped;

        Run(BlockingQueue<Object> ready) {
            this.ready = ready;
        }
    }

    /** On the thread: reads batch after batch into the run's queue while the reader is behind and the stream open. */
    private void readAhead(TrackingToken from, Run run) {
        TrackingToken after = from;
        while (!closed && !run.stopped) {
            Object result;
            try {
                result = reader.read(after);
            } catch (RuntimeException e) {
                result = new Failure(after, e);
            }
            if (!offer(run, result) || !(result instanceof Batch batch) || !batch.leadsOn()) {
                return;
            }
            after = batch.last();
        }
    }

    /** Puts a result in the queue when there is room; false when the stream closed or nobody took for a minute. */
    private boolean offer(Run run, Object result) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ABANDON_MILLIS);
        try {
            while (!run.ready.offer(result, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (closed || run.stopped || System.nanoTime() - deadline > 0) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void close() {
        closed = true;
    }
}
