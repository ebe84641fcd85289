package org.ccmledger.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.ccmledger.platform.mongo.DurableH2Backend;
import org.ccmledger.platform.mongo.ServiceProcess;
import org.ccmledger.platform.mongo.StoreFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HIPAA 164.312(a)(2)(iv): a diagnosis and a note written through the API are not in the embedded store's file on the
 * default (encrypted) setup; in a plain file (the control, from before encryption) they are, and {@code data-key
 * migrate} encrypts that file, verifying the ledger on the new file before it takes its place.
 */
class EncryptionAtRestServiceTest {

    @TempDir
    Path dir;

    @Test
    void aDiagnosisAndANoteWrittenThroughTheApiAreNotInTheEncryptedFile() throws Exception {
        Path data = dir.resolve("data");
        try (ServiceProcess service = ServiceProcess.start(data, dir.resolve("service.log"))) {
            ServiceWrites.patient(service, "pt-enc");
            service.stop();
        }

        assertThat(StoreFile.state(StoreFile.in(data))).isEqualTo(StoreFile.State.ENCRYPTED);
        assertThat(text(StoreFile.in(data))).doesNotContain(ServiceWrites.DIAGNOSIS).doesNotContain(ServiceWrites.NOTE);
    }

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
        try (ServiceProcess service = ServiceProcess.start(data, dir.resolve("service.log"))) {
            ServiceWrites.patient(service, "pt-after");
        }
    }

    private static String text(Path file) throws Exception {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }
}
