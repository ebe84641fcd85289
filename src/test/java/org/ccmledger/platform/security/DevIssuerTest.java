package org.ccmledger.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development issuer's key: generated once, owner-only, the same for whoever asks first. */
class DevIssuerTest {

    @Test
    @DisplayName("The service and mint-token starting together end up with one key, owner-only, and no stray files")
    void concurrentFirstUsesShareOneKey(@TempDir Path root) throws Exception {
        for (int round = 0; round < 5; round++) {
            Path dir = root.resolve("round-" + round);
            CyclicBarrier start = new CyclicBarrier(4);
            List<CompletableFuture<DevIssuer>> issuers = IntStream.range(0, 4).mapToObj(i ->
                    CompletableFuture.supplyAsync(() -> {
                        try {
                            start.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return DevIssuer.inDirectory(dir);
                    })).toList();
            List<java.security.interfaces.RSAPublicKey> keys = issuers.stream()
                                                                      .map(f -> f.join().publicKey()).toList();
            assertThat(keys).allMatch(k -> k.equals(keys.get(0)));
            assertThat(DevIssuer.inDirectory(dir).publicKey()).isEqualTo(keys.get(0));
            Path key = dir.resolve(DevIssuer.FILE_NAME);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly(DevIssuer.FILE_NAME);
            }
        }
    }
}
