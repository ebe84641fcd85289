package org.ccmledger.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bson.Document;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.platform.mongo.ServiceProcess;
import org.ccmledger.platform.mongo.StoreFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * HIPAA 164.312(a)(2)(iv): on the embedded default a diagnosis and a note written through the API are not in the store
 * file (its plain control: {@link EncryptionAtRestServiceTest}). HIPAA 164.308(a)(7)(ii)(A) and 164.312(c)(1), backups
 * that are proven, on the embedded default: a backup taken
 * while the service runs, restored into a new directory, starts a service whose whole ledger verifies against the
 * latest signed digest, reporting the highest sealed index recovered; a changed event in the copy fails the drill;
 * a data key rotated on the restored copy leaves a file that opens only with the new key and verifies.
 */
class BackupRestoreDrillTest {

    private static final Pattern SEALED = Pattern.compile("restore drill: PASSED, highest sealed index (\\d+)");

    @TempDir
    Path dir;

    @Test
    void aBackupTakenWhileTheServiceRunsRestoresAndVerifiesAndAChangedCopyFailsTheDrill() throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backups/ccm-ledger-1.mv");
        Files.createDirectories(backup.getParent());
        long sealedUpTo;
        try (ServiceProcess service = ServiceProcess.start(data, dir.resolve("service.log"))) {
            ServiceWrites.patient(service, "pt-1");
            sealedUpTo = ServiceWrites.digest(service);
            ServiceWrites.patient(service, "pt-2");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = StorageCommand.run("backup", List.of("--data-dir=" + data, "--to=" + backup), Map.of(),
                                            new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

            assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("through the running service");
            ServiceWrites.patient(service, "pt-3");
            service.stop();
        }
        assertThat(StoreFile.state(StoreFile.in(data))).isEqualTo(StoreFile.State.ENCRYPTED);
        assertThat(new String(Files.readAllBytes(StoreFile.in(data)), StandardCharsets.ISO_8859_1))
                .as("HIPAA 164.312(a)(2)(iv): the diagnosis and note written through the API")
                .doesNotContain(ServiceWrites.DIAGNOSIS).doesNotContain(ServiceWrites.NOTE);
        assertThat(sealedUpTo).isPositive();
        assertThat(StoreFile.state(backup)).isEqualTo(StoreFile.State.ENCRYPTED);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
        assertThat(new String(Files.readAllBytes(backup), StandardCharsets.ISO_8859_1))
                .doesNotContain(ServiceWrites.DIAGNOSIS).doesNotContain(ServiceWrites.NOTE);

        Path restored = dir.resolve("restored");
        JarCommand drill = JarCommand.run(dir.resolve("drill.log"), Map.of(), "restore", backup.toString(),
                                          "--data-dir=" + restored, "--keys-from=" + data, "--verify");

        assertThat(drill.exitStatus()).as(drill.output()).isZero();
        Matcher sealed = SEALED.matcher(drill.output());
        assertThat(sealed.find()).as(drill.output()).isTrue();
        assertThat(Long.parseLong(sealed.group(1))).isGreaterThanOrEqualTo(sealedUpTo);
        assertThat(drill.output()).contains("ledger: intact");

        Path changed = dir.resolve("changed");
        assertThat(StorageCommand.run("restore", List.of(backup.toString(), "--data-dir=" + changed,
                                                         "--keys-from=" + data), Map.of(), System.out, System.err))
                .isZero();
        try (LedgerFixture ledger = LedgerFixture.onH2(changed)) {
            Document first = ledger.collections().events().find(Filters.exists("tombstone", false)).first();
            ledger.collections().events().updateOne(Filters.eq("_id", first.get("_id")),
                                                    Updates.set("payload", first.getString("payload") + " "));
        }
        JarCommand failed = JarCommand.run(dir.resolve("failed.log"), Map.of(), "restore", "--verify",
                                           "--data-dir=" + changed);

        assertThat(failed.exitStatus()).as(failed.output()).isEqualTo(1);
        assertThat(failed.output()).contains("restore drill: FAILED").contains("ledger: BROKEN");

        String oldKey = Files.readString(restored.resolve("data-key"));
        JarCommand rotate = JarCommand.run(dir.resolve("rotate.log"), Map.of(), "data-key", "rotate",
                                           "--data-dir=" + restored);

        assertThat(rotate.exitStatus()).as(rotate.output()).isZero();
        assertThat(rotate.output()).contains("restore drill: PASSED");
        assertThat(Files.readString(restored.resolve("data-key"))).isNotEqualTo(oldKey);
        try (LedgerFixture ledger = LedgerFixture.onH2(restored)) {
            assertThat(ledger.collections().events().countDocuments(Filters.regex("payload", "pt-2-e1")))
                    .as("written before the backup").isOne();
            assertThat(ledger.collections().events().countDocuments(Filters.regex("payload", "pt-3-e1")))
                    .as("written after the backup").isZero();
        }
    }
}
