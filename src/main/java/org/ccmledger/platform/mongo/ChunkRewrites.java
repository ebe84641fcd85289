package org.ccmledger.platform.mongo;

import java.util.concurrent.atomic.AtomicLong;

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2's own housekeeping, which the service does without (it commits itself, so H2's background writer is off): while
 * less than {@value #BELOW_FILL_RATE} % of what the file's chunks hold is live, the live pages of chunks H2 picks
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

    /** Rewrites up to {@value #BYTES_PER_ROUND} of live pages while the chunks are less than half live (H2 checks). */
    void round() {
        try {
            if (!store.isClosed() && store.compact(BELOW_FILL_RATE, BYTES_PER_ROUND)) {
                rounds.incrementAndGet();
                uncommitted = true;
            }
        } catch (RuntimeException e) {
            log.warn("Rewriting the store file's sparse chunks failed: {}", e.getClass().getSimpleName());
        }
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
