package org.ccmledger.platform.mongo;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * An {@link H2Backend} that makes every write durable before the write is acknowledged, unless the write asks not to
 * wait for its journal ({@code writeConcern: {j: false}}, see {@link #unjournaled}).
 * <p>
 * mongo-java-server opens its MVStore with H2's background auto-commit, which writes about once a second, so a crash
 * loses up to a second of acknowledged writes. This backend opens the store with auto-commit disabled and commits
 * (and, by default, forces the file to disk) after every write command, before the reply goes back to the client.
 * Concurrent writers are grouped: one commit covers every write applied before it started.
 * <p>
 * A commit never captures half of a command: write commands run under the shared side of a read/write lock and the
 * commit takes the exclusive side, so after a crash the store holds each command (for example one {@code insert}
 * of a whole batch of events) entirely or not at all. Reads take no lock: they may see a write a moment before it
 * is durable, never a half-applied one (mongo-java-server applies each command under its collection's lock).
 * The commit and fsync run on the embedded server's own I/O threads; while one waits for the disk, other
 * connections served by the same thread wait too, which is why the server runs a thread per connection
 * ({@link EmbeddedMongoServer}). The ledger's {@code ccmAppend} ({@link LedgerCommands}) is applied
 * whole under one hold of the lock, so a commit's events and their streams' heads are durable together.
 */
public final class DurableH2Backend extends H2Backend {

    /** The embedded server's own command that copies the store file ({@link StoreBackup}). */
    public static final String BACKUP_COMMAND = StoreBackup.COMMAND;

    /** Commands that never change data, in lower case; every other command is committed before it is answered. */
    private static final Set<String> READ_ONLY_COMMANDS = Set.of(
            "find", "getmore", "count", "distinct", "aggregate", "listcollections", "listindexes", "listdatabases",
            "killcursors", "ping", "ismaster", "hello", "buildinfo", "serverstatus", "whatsmyuri", "dbstats",
            "collstats", "getlasterror", "getparameter", "connectionstatus", "hostinfo", "getlog",
            "getcmdlineopts", "endsessions", "getfreemonitoringstatus", "explain");

    /** The store's commits: the lock writes and commits share, the waiting writers, the background commit. */
    private final GroupCommits commits;

    /** Copies of the store file, taken while commits wait ({@code ccmBackup}). */
    private final StoreBackup backup;
    /** The collections read whole to answer a query ({@link StoreScans}, {@code {ccmScans: 1}}). */
    private final StoreScans scans;
    /** Rewrites of sparse chunks, between commits; the next commit takes their pages. */
    private final ChunkRewrites chunks;
    /** {@link #scans} while the super constructor opens the existing databases (before the field is set). */
    private static final ThreadLocal<StoreScans> OPENING_SCANS = new ThreadLocal<>();

    private DurableH2Backend(MVStore store, Path file, boolean forceToDisk) {
        super(store);
        this.scans = OPENING_SCANS.get();
        this.chunks = new ChunkRewrites(store);
        this.commits = new GroupCommits(store, chunks, forceToDisk);
        this.backup = new StoreBackup(store, file, commits.exclusive());
        // indexes re-ordered while opening (OrderedIndexDatabase) are durable once, not at the next write
        store.commit();
        if (forceToDisk) {
            store.sync();
        }
        commits.start();
    }

    /** The rewriting of the file's sparse chunks, which H2's own housekeeping would do ({@link ChunkRewrites}). */
    ChunkRewrites chunks() {
        return chunks;
    }

    /**
     * Opens (or creates) the plain MVStore file at {@code fileName} with auto-commit disabled.
     *
     * @param fileName    the H2 MVStore file
     * @param forceToDisk whether each group commit also forces the file to the disk ({@code fsync}); without it a
     *                    process crash loses nothing, a power loss may
     */
    public static DurableH2Backend open(String fileName, boolean forceToDisk) {
        return open(Path.of(fileName), forceToDisk, null);
    }

    /**
     * Opens (or creates) the MVStore file with auto-commit disabled, encrypted with {@code key} ({@code null}: plain).
     *
     * @param file        the H2 MVStore file
     * @param forceToDisk whether each group commit also forces the file to the disk ({@code fsync}); without it a
     *                    process crash loses nothing, a power loss may
     * @param key         the file's data key, or {@code null} for a plain file
     */
    public static DurableH2Backend open(Path file, boolean forceToDisk, DataKey key) {
        return open(file, forceToDisk, key, 16);
    }

    /** The same, with a page cache of {@code cacheSizeMb} (H2's default is 16). */
    public static DurableH2Backend open(Path file, boolean forceToDisk, DataKey key, int cacheSizeMb) {
        OPENING_SCANS.set(new StoreScans());
        try {
            return new DurableH2Backend(StoreFile.open(file, key, false, cacheSizeMb), file, forceToDisk);
        } finally {
            OPENING_SCANS.remove();
        }
    }

    /** The queries this store answered by reading a whole collection ({@code ccmScans}). */
    StoreScans scans() {
        return scans;
    }

    /**
     * Commits since the store opened: made for writes waiting to be answered ({@code background} false; one commit
     * covers every write applied before it, so concurrent writers share one) or by the background committer.
     */
    long commits(boolean background) {
        return commits.commits(background);
    }

    /** Write commands since the store opened: answered after a commit ({@code waited}) or without waiting for one. */
    long writes(boolean waited) {
        return commits.writes(waited);
    }

    /** Databases whose unique indexes compare keys without serializing them ({@link OrderedIndexDatabase}). */
    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return OrderedIndexDatabase.open(databaseName, getMvStore(), getCursorRegistry(),
                                         scans != null ? scans : OPENING_SCANS.get());
    }

    /**
     * Collections whose {@code findAndModify} is answered without waiting for a commit: the ledger's counter. A
     * reserved global index matters only through the events stored under it, and the commit that makes such an
     * event durable makes the earlier reservation durable with it (a commit persists the whole store as it was).
     * A reservation lost in a crash was never used, so re-issuing it is harmless. This saves one fsync per append.
     */
    private static final Set<String> LAZILY_COMMITTED_COUNTERS = Set.of("counters");
    /** One append at a time: its collision check, insert and head updates see no other append's. */
    private final Object appendLock = new Object();

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (StoreBackup.COMMAND.equalsIgnoreCase(command)) {
            return backup.answer(query.get(command));
        }
        if (StoreScans.COMMAND.equals(name)) {
            return scans.answer();
        }
        if (READ_ONLY_COMMANDS.contains(name)) {
            return super.handleCommand(channel, databaseName, command, query);
        }
        if ("findandmodify".equals(name) && LAZILY_COMMITTED_COUNTERS.contains(query.get(command))) {
            return commits.uncounted(() -> super.handleCommand(channel, databaseName, command, query));
        }
        if (LedgerCommands.isAppend(command)) {
            // the events and their heads under one hold of the lock: one commit makes both durable, or neither; that
            // commit is this write's own unless the append asks to be answered first, its caller's next journaled
            // write then making it durable (a crash before that loses the whole append, never part of it)
            Supplier<Document> append = () -> {
                synchronized (appendLock) {
                    return LedgerCommands.append(super::handleCommand, channel, databaseName, command, query);
                }
            };
            return LedgerCommands.answersFirst(query) ? commits.unwaited(append) : commits.waited(append);
        }
        if (unjournaled(query)) {
            return commits.unwaited(() -> super.handleCommand(channel, databaseName, command, query));
        }
        return commits.waited(() -> super.handleCommand(channel, databaseName, command, query));
    }

    /**
     * Whether the write asks not to wait for its journal ({@code writeConcern: {j: false}}), as MongoDB's own
     * journaling knows it: such a write is answered once applied and is made durable by the next commit, another
     * write's or, at the latest {@value GroupCommits#LAZY_COMMIT_MILLIS} ms later, the background one. A crash may lose it (and
     * nothing applied after it), never half of it. For what can be derived again or belongs to a request not yet
     * answered: the read models and their processors' tokens, the HTTP API's idempotency claims. The ledger's
     * append is durable before it is answered, whatever its write concern says, unless it asks in its own field to be
     * answered first ({@link LedgerCommands#answersFirst}).
     */
    static boolean unjournaled(Document query) {
        return query.get("writeConcern") instanceof Document concern && Boolean.FALSE.equals(concern.get("j"));
    }

    /** Stops the background commit (letting one under way finish: an interrupt would close the file), then closes. */
    @Override
    public void close() {
        commits.close();
        super.close();
    }
}
