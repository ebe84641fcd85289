package org.ccmledger.platform.storage;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.bson.Document;
import org.ccmledger.platform.mongo.DataKey;
import org.ccmledger.platform.mongo.DurableH2Backend;
import org.ccmledger.platform.mongo.EmbeddedMongoServer;
import org.ccmledger.platform.mongo.MongoProperties;
import org.ccmledger.platform.mongo.StoreFile;
import org.ccmledger.platform.security.KeyFiles;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/**
 * The embedded store's offline commands:
 * <pre>
 * backup --to=FILE [--data-dir=DIR]
 * restore [BACKUP] --data-dir=DIR [--keys-from=DIR] [--verify]
 * data-key migrate|rotate [--data-dir=DIR]
 * </pre>
 * {@code backup} copies the store file into a new file: through the running service (the embedded server's
 * {@code ccmBackup}, reached with the connection string it leaves in the data directory), which commits and holds its
 * writes for the copy, or directly under the file's lock when no service has it open. The copy is encrypted as the
 * store is, and holds no key. {@code restore} puts a backup into a new data directory as its store file, takes the
 * key files ({@code data-key}, the ledger signing key, the master key) from {@code --keys-from} when given, and with
 * {@code --verify} runs the restore drill ({@link LedgerDrill}). {@code data-key migrate} encrypts a plain store
 * file, {@code data-key rotate} re-encrypts an encrypted one under a new key; both write the new file beside the old,
 * run the drill on it, and only then put it in place, keeping the old file (and key) renamed. The data directory is
 * {@code --data-dir}, else {@code CCM_DATA_DIR}, else {@code ./data}; the data key is {@code CCM_DATA_KEY}, else
 * {@code CCM_DATA_KEY_FILE}, else {@code data-key} in the data directory. Exit status: 0 done (and verified), 1 failed
 * or did not verify, 2 bad arguments.
 */
public final class StorageCommand {

    public static final String BACKUP = "backup";
    public static final String RESTORE = "restore";
    public static final String DATA_KEY = "data-key";
    public static final Set<String> NAMES = Set.of(BACKUP, RESTORE, DATA_KEY);
    private static final String USAGE = """
            usage: backup --to=<new file> [--data-dir=<dir>]
                   restore [<backup file>] --data-dir=<new dir> [--keys-from=<dir>] [--verify]
                   data-key migrate|rotate [--data-dir=<dir>]""";
    /** The key files a restored directory needs from the original (or from where the keys are kept). */
    private static final List<String> KEY_FILES = List.of(DataKey.DEFAULT_FILE_NAME, "ledger-signing-key.pem",
                                                          "master-key");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                                                                    .withZone(ZoneOffset.UTC);

    private StorageCommand() {
    }

    /** Runs {@code name} with {@code args}; returns the exit status. */
    public static int run(String name, List<String> args, Map<String, String> environment, PrintStream out,
                          PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> positional = new java.util.ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.equals("--verify")) {
                options.put("verify", "true");
            } else if (arg.startsWith("--") && eq > 2) {
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (!arg.startsWith("--")) {
                positional.add(arg);
            } else {
                err.println("unknown argument " + arg + "\n" + USAGE);
                return 2;
            }
        }
        try {
            if (!environment.getOrDefault("CCM_MONGO_URI", "").isBlank()) {
                throw new IllegalArgumentException("CCM_MONGO_URI names a MongoDB: back it up with mongodump --oplog "
                        + "and restore with mongorestore --oplogReplay (docs/operations.md); these commands serve "
                        + "the embedded store");
            }
            return switch (name) {
                case BACKUP -> backup(options, positional, environment, out);
                case RESTORE -> restore(options, positional, environment, out);
                case DATA_KEY -> dataKey(options, positional, environment, out);
                default -> throw new IllegalArgumentException("unknown command " + name);
            };
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (IllegalStateException | UncheckedIOException e) {
            err.println(name + " failed: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println(name + " failed: " + e);
            return 1;
        }
    }

    private static int backup(Map<String, String> options, List<String> positional, Map<String, String> environment,
                              PrintStream out) {
        Path dataDir = dataDir(options, environment);
        String to = options.remove("to");
        noMore(options, positional, 0);
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

    private static int restore(Map<String, String> options, List<String> positional, Map<String, String> environment,
                               PrintStream out) {
        String dir = options.remove("data-dir");
        String keysFrom = options.remove("keys-from");
        boolean verify = options.remove("verify") != null;
        noMore(options, positional, 1);
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("--data-dir names the directory to restore into");
        }
        Path dataDir = Path.of(dir).toAbsolutePath().normalize();
        Path file = StoreFile.in(dataDir);
        if (!positional.isEmpty()) {
            Path backup = Path.of(positional.get(0));
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
        return report(LedgerDrill.run(dataDir, LedgerDrill.Keys.DEFAULT, out), out);
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

    private static int report(LedgerDrill.Outcome outcome, PrintStream out) {
        outcome.lines().forEach(out::println);
        out.println("restore drill: " + (outcome.passed() ? "PASSED" : "FAILED") + ", highest sealed index "
                    + outcome.sealedUpTo() + ", highest global index " + outcome.highestIndex());
        return outcome.passed() ? 0 : 1;
    }

    private static int dataKey(Map<String, String> options, List<String> positional, Map<String, String> environment,
                               PrintStream out) {
        Path dataDir = dataDir(options, environment);
        noMore(options, positional, 1);
        String action = positional.isEmpty() ? "" : positional.get(0);
        if (!action.equals("migrate") && !action.equals("rotate")) {
            throw new IllegalArgumentException("data-key migrate (encrypt a plain file) or data-key rotate");
        }
        Path file = StoreFile.in(dataDir);
        if (StoreFile.inUse(file)) {
            throw new IllegalStateException("the service has " + file + " open: stop it first");
        }
        StoreFile.State state = StoreFile.state(file);
        MongoProperties.Embedded settings = new MongoProperties.Embedded(
                "h2", dataDir, true, environment.get("CCM_DATA_KEY"),
                Optional.ofNullable(environment.get("CCM_DATA_KEY_FILE")).filter(s -> !s.isBlank()).map(Path::of)
                        .orElse(null));
        Optional<DataKey> configured = DataKey.configured(settings);
        boolean keyInDirectory = (settings.dataKey() == null || settings.dataKey().isBlank())
                                 && settings.dataKeyFile() == null;
        DataKey oldKey;
        DataKey newKey;
        boolean keepsKey = false;
        if (action.equals("migrate")) {
            if (state != StoreFile.State.PLAIN) {
                throw new IllegalStateException(file + " is " + state.name().toLowerCase() + ", not plain: "
                                                + "nothing to migrate");
            }
            oldKey = null;
            newKey = configured.orElseGet(DataKey::generate);
            keepsKey = configured.isPresent();
        } else {
            if (state != StoreFile.State.ENCRYPTED) {
                throw new IllegalStateException(file + " is " + state.name().toLowerCase() + ": data-key migrate "
                                                + "encrypts a plain file");
            }
            oldKey = configured.orElseThrow(() -> new IllegalStateException("no data key for " + file));
            newKey = DataKey.generate();
        }
        String stamp = STAMP.format(Instant.now());
        Path staging = dataDir.resolve("data-key-" + action + "-" + stamp);
        Path stagedKey = staging.resolve(DataKey.DEFAULT_FILE_NAME);
        Path stagedFile = StoreFile.in(staging);
        try {
            Files.createDirectory(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + staging, e);
        }
        newKey.writeTo(stagedKey);
        out.println("copying " + file + " into " + stagedFile + " encrypted with data key " + newKey.id() + " …");
        StoreFile.copy(file, oldKey, stagedFile, newKey);
        LedgerDrill.Outcome outcome = LedgerDrill.run(
                staging, new LedgerDrill.Keys(stagedKey, signingKey(dataDir, environment),
                                              masterKey(dataDir, environment)), out);
        if (report(outcome, out) != 0) {
            out.println("the new file does not verify: " + file + " is left as it was; " + staging + " kept to look "
                        + "into");
            return 1;
        }
        try {
            Path replaced = file.resolveSibling(StoreFile.NAME + ".replaced-" + stamp);
            Files.move(file, replaced);
            Files.move(stagedFile, file, StandardCopyOption.ATOMIC_MOVE);
            out.println("the store file is now encrypted with data key " + newKey.id() + "; the old file is kept as "
                        + replaced + ": remove it (shred) once a backup of the new one is taken");
            Path keyFile = DataKey.defaultFile(dataDir);
            if (keepsKey) {
                Files.delete(stagedKey);
            } else if (keyInDirectory) {
                if (Files.exists(keyFile)) {
                    Path oldKeyFile = keyFile.resolveSibling(DataKey.DEFAULT_FILE_NAME + ".replaced-" + stamp);
                    Files.move(keyFile, oldKeyFile);
                    out.println("the old data key is kept as " + oldKeyFile + " (it opens the old file only)");
                }
                Files.move(stagedKey, keyFile);
                out.println("the new data key is " + keyFile);
            } else {
                Path newKeyFile = dataDir.resolve(DataKey.DEFAULT_FILE_NAME + ".new-" + stamp);
                Files.move(stagedKey, newKeyFile);
                out.println("the new data key is in " + newKeyFile + ": point CCM_DATA_KEY_FILE at it (or put its "
                            + "content in CCM_DATA_KEY) before the service starts again");
            }
            deleteTree(staging);
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put the new file in place", e);
        }
    }

    private static Path signingKey(Path dataDir, Map<String, String> environment) {
        String configured = environment.get("CCM_SIGNING_KEY_FILE");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : dataDir.resolve("ledger-signing-key.pem");
    }

    private static Path masterKey(Path dataDir, Map<String, String> environment) {
        String configured = environment.get("CCM_MASTER_KEY_FILE");
        Path file = configured != null && !configured.isBlank() ? Path.of(configured) : dataDir.resolve("master-key");
        return Files.exists(file) ? file : null;
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static Path dataDir(Map<String, String> options, Map<String, String> environment) {
        String dir = options.remove("data-dir");
        if (dir == null || dir.isBlank()) {
            dir = environment.getOrDefault("CCM_DATA_DIR", "./data");
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    private static void noMore(Map<String, String> options, List<String> positional, int allowedPositional) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown option --" + options.keySet().iterator().next());
        }
        if (positional.size() > allowedPositional) {
            throw new IllegalArgumentException("unexpected argument " + positional.get(allowedPositional));
        }
    }
}
