package org.ccmledger.platform.mongo;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * An {@link H2Backend} that makes every write durable before the write is acknowledged.
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
 * connections served by the same thread wait too. The ledger's {@code ccmAppend} ({@link LedgerCommands}) is applied
 * whole under one hold of the lock, so a commit's events and their streams' heads are durable together.
 */
public final class DurableH2Backend extends H2Backend {

    /** Commands that never change data, in lower case; every other command is committed before it is answered. */
    private static final Set<String> READ_ONLY_COMMANDS = Set.of(
            "find", "getmore", "count", "distinct", "aggregate", "listcollections", "listindexes", "listdatabases",
            "killcursors", "ping", "ismaster", "hello", "buildinfo", "serverstatus", "whatsmyuri", "dbstats",
            "collstats", "getlasterror", "getparameter", "connectionstatus", "hostinfo", "getlog",
            "getcmdlineopts", "endsessions", "getfreemonitoringstatus", "explain");

    private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();
    private final Object committer = new Object();
    private final AtomicLong writesApplied = new AtomicLong();
    private final boolean forceToDisk;
    private volatile long writesCommitted;

    private DurableH2Backend(MVStore store, boolean forceToDisk) {
        super(store);
        this.forceToDisk = forceToDisk;
    }

    /**
     * Opens (or creates) the MVStore file at {@code fileName} with auto-commit disabled.
     *
     * @param fileName    the H2 MVStore file
     * @param forceToDisk whether each group commit also forces the file to the disk ({@code fsync}); without it a
     *                    process crash loses nothing, a power loss may
     */
    public static DurableH2Backend open(String fileName, boolean forceToDisk) {
        // autoCommitDisabled() only stops the timer; a zero buffer size also stops the commit H2 would otherwise start
        // by itself when enough unsaved pages pile up, in the middle of some command
        MVStore store = new MVStore.Builder().fileName(fileName).autoCommitDisabled().autoCommitBufferSize(0).open();
        return new DurableH2Backend(store, forceToDisk);
    }

    /**
     * Collections whose {@code findAndModify} is answered without waiting for a commit: the ledger's counter. A
     * reserved global index matters only through the events stored under it, and the commit that makes such an
     * event durable makes the earlier reservation durable with it (a commit persists the whole store as it was).
     * A reservation lost in a crash was never used, so re-issuing it is harmless. This saves one fsync per append.
     */
    private final Object appendLock = new Object();
    private static final Set<String> LAZILY_COMMITTED_COUNTERS = Set.of("counters");

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (READ_ONLY_COMMANDS.contains(name)) {
            return super.handleCommand(channel, databaseName, command, query);
        }
        if ("findandmodify".equals(name) && LAZILY_COMMITTED_COUNTERS.contains(query.get(command))) {
            commitLock.readLock().lock();
            try {
                return super.handleCommand(channel, databaseName, command, query);
            } finally {
                commitLock.readLock().unlock();
            }
        }
        long ticket;
        commitLock.readLock().lock();
        try {
            if (LedgerCommands.isAppend(command)) {
                // the events and their heads under one hold of the lock: one commit makes both durable, or neither;
                // one append at a time, so its collision check, insert and head updates see no other append's
                synchronized (appendLock) {
                    return LedgerCommands.append(super::handleCommand, channel, databaseName, command, query);
                }
            }
            return super.handleCommand(channel, databaseName, command, query);
        } finally {
            ticket = writesApplied.incrementAndGet();
            commitLock.readLock().unlock();
            awaitCommit(ticket);
        }
    }

    private void awaitCommit(long ticket) {
        synchronized (committer) {
            if (writesCommitted >= ticket) {
                return;
            }
            long covered;
            commitLock.writeLock().lock();
            try {
                covered = writesApplied.get();
                getMvStore().commit();
            } finally {
                commitLock.writeLock().unlock();
            }
            if (forceToDisk) {
                getMvStore().sync();
            }
            writesCommitted = covered;
        }
    }
}
