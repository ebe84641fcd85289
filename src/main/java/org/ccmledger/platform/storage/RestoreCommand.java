package org.ccmledger.platform.storage;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.ccmledger.platform.mongo.DataKey;
import org.ccmledger.platform.mongo.StoreFile;
import org.ccmledger.platform.security.KeyFiles;

/**
 * {@code restore [BACKUP] --data-dir=DIR [--keys-from=DIR] [--verify]}: puts a backup into a new data directory as
 * its store file, takes the key files from {@code --keys-from} when given, and with {@code --verify} runs the restore
 * drill ({@link LedgerDrill}).
 */
final class RestoreCommand {

    /** The key files a restored directory needs from the original (or from where the keys are kept). */
    private static final List<String> KEY_FILES = List.of(DataKey.DEFAULT_FILE_NAME, "ledger-signing-key.pem",
                                                          "master-key");

    private RestoreCommand() {
    }

    static int run(CommandArguments args, PrintStream out) {
        String dir = args.take("data-dir");
        String keysFrom = args.take("keys-from");
        boolean verify = args.take("verify") != null;
        args.noMore(1);
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("--data-dir names the directory to restore into");
        }
        Path dataDir = Path.of(dir).toAbsolutePath().normalize();
        Path file = StoreFile.in(dataDir);
        if (!args.positional().isEmpty()) {
            Path backup = Path.of(args.positional().get(0));
            if (!Files.isRegularFile(backup)) {
                throw new IllegalArgumentException(backup + " is not a backup file");
            }
            if (StoreFile.state(backup) == StoreFile.State.MISSING) {
                throw new IllegalArgumentException(backup + " is empty");
            }
            if (Files.exists(file)) {
                throw new IllegalArgumentException(file + " exists already: restore into a new directory");
            }
            try (FileChannel from = FileChannel.open(backup, StandardOpenOption.READ)) {
                Files.createDirectories(dataDir);
                StoreFile.copyBytes(from, file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restore into " + dataDir, e);
            }
            out.println("restored " + backup + " as " + file);
        } else if (!verify) {
            throw new IllegalArgumentException("name a backup file to restore, or --verify to check " + dataDir);
        }
        if (keysFrom != null) {
            copyKeys(Path.of(keysFrom), dataDir, out);
        }
        if (!verify) {
            return 0;
        }
        if (StoreFile.state(file) == StoreFile.State.MISSING) {
            throw new IllegalStateException("no store file in " + dataDir);
        }
        return LedgerDrill.run(dataDir, LedgerDrill.Keys.DEFAULT, out).report(out);
    }

    private static void copyKeys(Path from, Path to, PrintStream out) {
        for (String name : KEY_FILES) {
            Path source = from.resolve(name);
            if (Files.exists(source) && !Files.exists(to.resolve(name))) {
                try {
                    KeyFiles.createOwnerOnly(to.resolve(name), KeyFiles.read(source));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot copy the key file " + name, e);
                }
                out.println("key file " + name + " taken from " + from);
            }
        }
    }
}
