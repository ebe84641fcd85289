package org.ccmledger.platform.mongo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Lock;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * A copy of the embedded store's file as of now, for {@code {ccmBackup: "<absolute path of a new file>"}}
 * ({@link DurableH2Backend}): every write applied so far is committed first, and commits wait while the file is
 * copied (the copy holds the exclusive side of the backend's commit lock), so the copy holds every write acknowledged
 * before it and none half-applied; a write command waits until the copy is done. The copy is encrypted as the store
 * is: it opens with the same data key.
 */
final class StoreBackup {

    /** The embedded server's own command that copies the store file. */
    static final String COMMAND = "ccmBackup";

    private final MVStore store;
    private final Path file;
    private final Lock commits;

    StoreBackup(MVStore store, Path file, Lock commits) {
        this.store = store;
        this.file = file;
        this.commits = commits;
    }

    /** The command's answer: {@code ok}, the file and its size in bytes; a problem for a path that is not absolute. */
    Document answer(Object target) {
        if (!(target instanceof String path) || !Path.of(path).isAbsolute()) {
            throw new MongoServerError(2, "BadValue", COMMAND + " names the absolute path of a new file");
        }
        long bytes;
        try {
            bytes = copyTo(Path.of(path));
        } catch (IOException e) {
            throw new MongoServerError(1, "InternalError", "the backup could not be written: "
                    + e.getClass().getSimpleName());
        }
        return new Document("ok", 1.0).append("file", path).append("bytes", bytes);
    }

    /** Copies the store file, committed and forced to disk, into the new file {@code target} (owner-only); its size. */
    long copyTo(Path target) throws IOException {
        commits.lock();
        try {
            store.commit();
            store.sync();
            try (FileChannel from = FileChannel.open(file, StandardOpenOption.READ)) {
                return StoreFile.copyBytes(from, target);
            }
        } finally {
            commits.unlock();
        }
    }
}
