package org.ccmledger.platform.storage;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The embedded store's offline commands, each in a class of its own ({@link BackupCommand}, {@link RestoreCommand},
 * {@link DataKeyCommand}):
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
        CommandArguments arguments = new CommandArguments(options, positional, environment);
        try {
            if (!environment.getOrDefault("CCM_MONGO_URI", "").isBlank()) {
                throw new IllegalArgumentException("CCM_MONGO_URI names a MongoDB: back it up with mongodump --oplog "
                        + "and restore with mongorestore --oplogReplay (docs/operations.md); these commands serve "
                        + "the embedded store");
            }
            return switch (name) {
                case BACKUP -> BackupCommand.run(arguments, out);
                case RESTORE -> RestoreCommand.run(arguments, out);
                case DATA_KEY -> DataKeyCommand.run(arguments, out);
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
}
