package org.ccmledger.platform.mongo;

import java.util.concurrent.atomic.AtomicLong;

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2's own housekeeping, which the service does without (it commits itself, so H2's background writer is off): while
 * less than {@value #BELOW_FILL_RATE} % of what the file's chunks hold is live (leaving out the chunks the last rounds
 * emptied and H2 has not freed yet, {@link #settledShare}), the live pages of chunks H2 picks
 * among those older than its retention (at most {@value #BYTES_PER_ROUND} bytes a round) are marked to be written
 * again, unchanged, by the next commit; the chunks they leave hold nothing live, and their space is reused once H2's
 * retention has passed. Without it a chunk that keeps one live page (an event's leaf, written once and never again)
 * is never reused, and the file grows to many times what it holds.
 * <p>
 * Rewriting changes no data: a crash before the next commit finds the pages where they were. It runs outside
 * {@link DurableH2Backend}'s commit lock (a commit that takes some of a round's pages and not others writes the same
 * data either way, and holding commits back while pages are read would hold up every writer); the background commit
 * takes what no commit took ({@link #uncommitted}); rounds are not counted as writes. It writes nothing to the file
 * itself (commits do), so a backup, which holds commits back while it copies the file, copies a consistent file. A
 * failure outside H2's store lock is logged and the next round tries again; one inside it (a page that cannot be
 * read, memory exhausted) closes the store, as a failing commit does and as H2's own housekeeping would: the service
 * then answers nothing until restarted, and what a restart finds is the last commit, as after a crash.
 */
final class ChunkRewrites {

    private static final Logger log = LoggerFactory.getLogger(ChunkRewrites.class);

    /** Below this share of live data in the file's chunks, chunks are rewritten. */
    static final int BELOW_FILL_RATE = 50;
    /** Live bytes rewritten at most per round, so that a round holds up commits for milliseconds. */
    static final int BYTES_PER_ROUND = 1 << 20;
    /**
     * Between rounds. A round walks every chunk under H2's store lock, which commits wait for (2–5 ms, up to 41 ms,
     * with 20,000 chunks), and H2 picks among all the chunks old enough, not only the sparsest: rounds are spaced so
     * that this stays a small share of the time, at up to 12 GB of pages rewritten a day.
     */
    static final long EVERY_MILLIS = 5_000;

    private final MVStore store;
    private final AtomicLong rounds = new AtomicLong();
    /** When and at which store version each round whose emptied chunks H2 may not have freed yet rewrote pages. */
    private final java.util.List<long[]> unsettled = new java.util.ArrayList<>();
    /** Pages rewritten that no commit has taken yet: the background commit takes them. */
    private volatile boolean uncommitted;
    /** Off only in tests that watch the file's chunks fill up sparsely first. */
    private volatile boolean inBackground = true;

    ChunkRewrites(MVStore store) {
        this.store = store;
    }

    /** A round, unless rounds in the background are off ({@link #inBackground}). */
    void roundInBackground() {
        if (inBackground) {
            round();
        }
    }

    /** Whether the background rounds run (a round called directly always runs). */
    void inBackground(boolean on) {
        inBackground = on;
    }

    /**
     * Rewrites up to {@value #BYTES_PER_ROUND} of live pages while the chunks are less than half live (H2 checks),
     * not counting the chunks this instance's own recent rounds emptied ({@link #settledShare}).
     */
    void round() {
        try {
            if (store.isClosed() || settledShare() >= BELOW_FILL_RATE) {
                return;
            }
            if (store.compact(BELOW_FILL_RATE, BYTES_PER_ROUND)) {
                rounds.incrementAndGet();
                uncommitted = true;
                synchronized (unsettled) {
                    unsettled.add(new long[] {System.nanoTime(), store.getCurrentVersion()});
                }
            }
        } catch (RuntimeException e) {
            log.warn("Rewriting the store file's sparse chunks failed: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * The live share without the chunks the last rounds emptied. H2 frees an emptied chunk only once it is older than
     * its retention and the versions it keeps (5 commits), and counts it in the share till then: in a store of a few
     * megabytes those chunks alone keep the share under half, and every round rewrote the same pages again, a
     * megabyte every five seconds for as long as the service ran (the test of this saw 33-39 % with every page
     * rewritten, 97 % once they were freed). Each such round counts as {@value #BYTES_PER_ROUND} bytes of emptied
     * chunks, the most it rewrites (the chunks it empties may hold more): too little lets rounds run as they did
     * before, too much only delays a round until those chunks are freed.
     */
    int settledShare() {
        FileStore<?> file = openFile();
        if (file == null) {
            return 100;
        }
        long now = System.nanoTime();
        long retention = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Math.max(0, store.getRetentionTime()));
        long version = store.getCurrentVersion();
        int pending;
        synchronized (unsettled) {
            unsettled.removeIf(r -> now - r[0] >= retention && version - r[1] > store.getVersionsToKeep() + 2);
            pending = unsettled.size();
        }
        int share = file.getChunksFillRate();
        long chunkBytes = file.size() * file.getFillRate() / 100;
        long settledBytes = chunkBytes - (long) pending * BYTES_PER_ROUND;
        if (pending == 0 || settledBytes <= 0) {
            return pending == 0 ? share : 100;
        }
        return (int) Math.min(100, chunkBytes * share / settledBytes);
    }

    /** Whether pages were rewritten since the last commit began. */
    boolean uncommitted() {
        return uncommitted;
    }

    /** A commit is about to take every page rewritten so far (call under the commit lock, before committing). */
    void committing() {
        uncommitted = false;
    }

    /** Rounds that rewrote chunks, since the store opened. */
    long rounds() {
        return rounds.get();
    }

    /** The share of what the file's chunks hold that is live, in percent (H2's chunks fill rate). */
    int liveShare() {
        FileStore<?> file = openFile();
        return file == null ? 100 : file.getChunksFillRate();
    }

    /** The store file's size in bytes. */
    long fileSize() {
        FileStore<?> file = openFile();
        return file == null ? 0 : file.size();
    }

    private FileStore<?> openFile() {
        return store.isClosed() ? null : store.getFileStore();
    }
}
