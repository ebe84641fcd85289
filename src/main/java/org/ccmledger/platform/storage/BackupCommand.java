package org.ccmledger.platform.storage;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.bson.Document;
import org.ccmledger.platform.mongo.DurableH2Backend;
import org.ccmledger.platform.mongo.EmbeddedMongoServer;
import org.ccmledger.platform.mongo.StoreFile;
import org.ccmledger.platform.security.KeyFiles;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/**
 * {@code backup --to=FILE [--data-dir=DIR]}: copies the store file into a new file, through the running service (the
 * embedded server's {@code ccmBackup}, reached with the connection string it leaves in the data directory), which
 * commits and holds its writes for the copy, or directly under the file's lock when no service has it open.
 */
final class BackupCommand {

    private BackupCommand() {
    }

    static int run(CommandArguments args, PrintStream out) {
        Path dataDir = args.dataDir();
        String to = args.take("to");
        args.noMore(0);
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException("--to names the new backup file");
        }
        Path target = Path.of(to).toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists already");
        }
        Path file = StoreFile.in(dataDir);
        if (StoreFile.state(file) == StoreFile.State.MISSING) {
            throw new IllegalStateException("no store file in " + dataDir);
        }
        long bytes;
        if (StoreFile.inUse(file)) {
            bytes = backupThroughService(dataDir, target);
            out.println("backup taken through the running service");
        } else {
            bytes = copyUnderLock(file, target);
            out.println("backup taken from the stopped service's file");
        }
        out.println("backup: " + target + " (" + bytes + " bytes, " + StoreFile.state(target).name().toLowerCase()
                    + "); it holds no key: keep the data key (and the signing and master keys) backed up apart");
        return 0;
    }

    private static long backupThroughService(Path dataDir, Path target) {
        Path uriFile = dataDir.toAbsolutePath().normalize().resolve(EmbeddedMongoServer.URI_FILE);
        String uri;
        try {
            uri = KeyFiles.read(uriFile).strip();
        } catch (IOException e) {
            throw new IllegalStateException("the service has the store open but " + uriFile + " cannot be read: "
                                            + "run backup as the service's user");
        }
        try (MongoClient client = MongoClients.create(uri)) {
            Document answer = client.getDatabase("admin")
                                    .runCommand(new Document(DurableH2Backend.BACKUP_COMMAND, target.toString()));
            return ((Number) answer.get("bytes")).longValue();
        }
    }

    /** Copies the file of a stopped service holding its lock, so that no service opens it meanwhile. */
    private static long copyUnderLock(Path file, Path target) {
        try (FileChannel from = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = from.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("the service opened the store meanwhile: run backup again");
            }
            return StoreFile.copyBytes(from, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + file, e);
        }
    }
}
