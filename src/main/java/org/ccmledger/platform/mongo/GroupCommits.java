package org.ccmledger.platform.mongo;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.ccmledger.platform.threads.DaemonThreads;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commits of {@link DurableH2Backend}'s store: writes are applied under the shared side of a read/write lock and a
 * commit takes the exclusive side, so a commit never captures half of a write. A write that waits is answered once a
 * commit that started after it was applied has ended (concurrent writers share one); a write that does not wait is made
 * durable by the next commit, another write's or the background one, at most {@value #LAZY_COMMIT_MILLIS} ms later.
 * The background thread also runs the rounds of {@link ChunkRewrites}, whose pages the next commit takes.
 */
final class GroupCommits {

    private static final Logger log = LoggerFactory.getLogger(DurableH2Backend.class);

    /**
     * How long a write answered without waiting for a commit ({@code j: false}) waits for one at most: H2's own default
     * for its background commit. A commit writes every page changed since the last, and when only such writes come (a
     * read model rebuilding, nothing appended) the rebuild's scattered keys change most leaves of its collections
     * between two commits: at 200 ms the commit thread took 7-8 % of a monthly-minutes rebuild, at 1 s 1-8 %
     * (docs/performance.md). Appends commit at once and take these writes along.
     */
    static final long LAZY_COMMIT_MILLIS = 1_000;

    private final MVStore store;
    private final ChunkRewrites chunks;
    private final boolean forceToDisk;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object committer = new Object();
    /** Writes answered after a commit, and the last of them a commit covered. */
    private final AtomicLong writesApplied = new AtomicLong();
    private volatile long writesCommitted;
    /** Writes answered without a commit, and the last of them a commit covered. */
    private final AtomicLong lazyWritesApplied = new AtomicLong();
    private volatile long lazyWritesCommitted;
    /** Commits made for a write that waited for one, and by the background committer ({@link #commits}). */
    private final AtomicLong answeringCommits = new AtomicLong();
    private final AtomicLong backgroundCommits = new AtomicLong();
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("embedded-mongo-lazy-commit"));

    /**
     * @param forceToDisk whether each commit also forces the file to the disk ({@code fsync})
     */
    GroupCommits(MVStore store, ChunkRewrites chunks, boolean forceToDisk) {
        this.store = store;
        this.chunks = chunks;
        this.forceToDisk = forceToDisk;
    }

    /** Starts the background commit and the chunk rewrites' rounds, once the store is open. */
    void start() {
        background.scheduleWithFixedDelay(this::commitLazyWrites, LAZY_COMMIT_MILLIS, LAZY_COMMIT_MILLIS,
                                          TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(chunks::roundInBackground, ChunkRewrites.EVERY_MILLIS,
                                          ChunkRewrites.EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Applies a write and answers once a commit covers it (also when the write fails part way). */
    <T> T waited(Supplier<T> write) {
        long ticket;
        lock.readLock().lock();
        try {
            return write.get();
        } finally {
            ticket = writesApplied.incrementAndGet();
            lock.readLock().unlock();
            awaitCommit(ticket);
        }
    }

    /** Applies a write and answers at once; the next commit makes it durable. */
    <T> T unwaited(Supplier<T> write) {
        lock.readLock().lock();
        try {
            return write.get();
        } finally {
            lazyWritesApplied.incrementAndGet();
            lock.readLock().unlock();
        }
    }

    /**
     * Applies a write and answers at once, uncounted: a write that needs no commit of its own (the ledger's counter,
     * whose reservations are durable with the events stored under them).
     */
    <T> T uncounted(Supplier<T> write) {
        lock.readLock().lock();
        try {
            return write.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The exclusive side: held, no commit starts and no write is applied ({@link StoreBackup}). */
    Lock exclusive() {
        return lock.writeLock();
    }

    /** Commits made for a write waiting to be answered ({@code background} false) or by the background committer. */
    long commits(boolean background) {
        return background ? backgroundCommits.get() : answeringCommits.get();
    }

    /** Write commands answered after a commit ({@code waited}) or without waiting for one. */
    long writes(boolean waited) {
        return waited ? writesApplied.get() : lazyWritesApplied.get();
    }

    /** Stops the background commit, letting one under way finish (an interrupt would close the file). */
    void close() {
        background.shutdown();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Commits writes answered without a commit once they have waited {@value #LAZY_COMMIT_MILLIS} ms. A failure is
     * logged and the next round tries again (the next durable write would report it to its client).
     */
    private void commitLazyWrites() {
        try {
            if (lazyWritesApplied.get() != lazyWritesCommitted || chunks.uncommitted()) {
                commit(false);
            }
        } catch (RuntimeException e) {
            log.warn("The background commit failed: {}", e.getClass().getSimpleName());
        }
    }

    private void awaitCommit(long ticket) {
        synchronized (committer) {
            if (writesCommitted < ticket) {
                commit(true);
            }
        }
    }

    /**
     * One commit of every write applied so far (and the chunk rewrites' pages), then the fsync; {@code answering}: made
     * for a write waiting to be answered, which is what moves the waiting writes' mark (the background commit, as
     * before, moves only the unwaited writes' one).
     */
    private void commit(boolean answering) {
        synchronized (committer) {
            long covered;
            long lazyCovered;
            lock.writeLock().lock();
            try {
                covered = writesApplied.get();
                lazyCovered = lazyWritesApplied.get();
                chunks.committing();
                store.commit();
                (answering ? answeringCommits : backgroundCommits).incrementAndGet();
            } finally {
                lock.writeLock().unlock();
            }
            if (forceToDisk) {
                store.sync();
            }
            if (answering) {
                writesCommitted = covered;
            }
            lazyWritesCommitted = Math.max(lazyWritesCommitted, lazyCovered);
        }
    }
}
