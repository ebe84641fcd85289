package org.ccmledger.support;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.InputStream;
import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * BlockHound watches from the start of the test run, not from the first HTTP test class: this class extends none, and
 * run alone (or first) a blocking call on Reactor's parallel scheduler still fails.
 */
class BlockingChecksTest {

    @Test
    @DisplayName("a blocking call on a non-blocking thread fails whatever test class ran before")
    void aBlockingCallOnTheParallelSchedulerFailsInAnyTestClass() {
        // a read of a file: blocking I/O, as the MongoDB driver's socket reads are
        Mono<Integer> reading = Mono.fromCallable(() -> {
            try (InputStream in = new FileInputStream("pom.xml")) {
                return in.read();
            }
        }).subscribeOn(Schedulers.parallel());

        assertThatThrownBy(() -> reading.block(Duration.ofSeconds(30)))
                .hasCauseInstanceOf(BlockingOperationError.class);
    }
}
