package org.ccmledger.platform.storage;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.ccmledger.platform.mongo.DataKey;
import org.ccmledger.platform.mongo.MongoProperties;
import org.ccmledger.platform.mongo.StoreFile;

/**
 * {@code data-key migrate|rotate [--data-dir=DIR]}: encrypts a plain store file, or re-encrypts an encrypted one under
 * a new key; writes the new file beside the old, runs the restore drill on it, and only then puts it in place, keeping
 * the old file (and key) renamed.
 */
final class DataKeyCommand {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                                                                    .withZone(ZoneOffset.UTC);

    private DataKeyCommand() {
    }

    static int run(CommandArguments args, PrintStream out) {
        Path dataDir = args.dataDir();
        args.noMore(1);
        String action = args.positional().isEmpty() ? "" : args.positional().get(0);
        if (!action.equals("migrate") && !action.equals("rotate")) {
            throw new IllegalArgumentException("data-key migrate (encrypt a plain file) or data-key rotate");
        }
        Path file = StoreFile.in(dataDir);
        if (StoreFile.inUse(file)) {
            throw new IllegalStateException("the service has " + file + " open: stop it first");
        }
        StoreFile.State state = StoreFile.state(file);
        MongoProperties.Embedded settings = new MongoProperties.Embedded(
                "h2", dataDir, true, args.environment().get("CCM_DATA_KEY"),
                Optional.ofNullable(args.environment().get("CCM_DATA_KEY_FILE")).filter(s -> !s.isBlank())
                        .map(Path::of).orElse(null));
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
                staging, new LedgerDrill.Keys(stagedKey, signingKey(dataDir, args.environment()),
                                              masterKey(dataDir, args.environment())), out);
        if (outcome.report(out) != 0) {
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
}
