package org.ccmledger.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.platform.mongo.DurableH2Backend;
import org.ccmledger.platform.mongo.ServiceProcess;
import org.ccmledger.platform.mongo.StoreFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;

/**
 * HIPAA 164.312(a)(2)(iv): in a plain store file (from before encryption at rest) a diagnosis and a note written
 * through the API are readable, the control for {@link BackupRestoreDrillTest}, which finds them absent from the
 * encrypted default; {@code data-key migrate} encrypts such a file, verifying the ledger on the new file before it
 * takes its place.
 */
class EncryptionAtRestServiceTest {

    @TempDir
    Path dir;

    @Test
    void aPlainFileShowsThemUntilDataKeyMigrateEncryptsIt() throws Exception {
        Path data = dir.resolve("plain");
        Files.createDirectories(data);
        DurableH2Backend.open(StoreFile.in(data), false, null).close();
        try (ServiceProcess service = ServiceProcess.start(data, dir.resolve("service.log"))) {
            ServiceWrites.patient(service, "pt-plain");
            ServiceWrites.digest(service);
            service.stop();
        }
        assertThat(StoreFile.state(StoreFile.in(data))).isEqualTo(StoreFile.State.PLAIN);
        assertThat(text(StoreFile.in(data))).contains(ServiceWrites.DIAGNOSIS).contains(ServiceWrites.NOTE);

        JarCommand migrate = JarCommand.run(dir.resolve("migrate.log"), Map.of(), "data-key", "migrate",
                                            "--data-dir=" + data);

        assertThat(migrate.exitStatus()).as(migrate.output()).isZero();
        assertThat(migrate.output()).contains("restore drill: PASSED");
        assertThat(StoreFile.state(StoreFile.in(data))).isEqualTo(StoreFile.State.ENCRYPTED);
        assertThat(text(StoreFile.in(data))).doesNotContain(ServiceWrites.DIAGNOSIS)
                                            .doesNotContain(ServiceWrites.NOTE);
        assertThat(data.resolve("data-key")).exists();
        try (LedgerFixture ledger = LedgerFixture.onH2(data)) {
            assertThat(ledger.collections().events().countDocuments(Filters.regex("payload", "pt-plain-e1")))
                    .as("opens with the data key now in the data directory").isOne();
        }
    }

    private static String text(Path file) throws Exception {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }
}
