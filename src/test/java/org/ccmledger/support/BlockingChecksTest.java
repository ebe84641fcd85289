package org.ccmledger.support;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        Mono<String> sleeping = Mono.fromCallable(() -> {
            Thread.sleep(1);
            return "slept";
        }).subscribeOn(Schedulers.parallel());

        assertThatThrownBy(() -> sleeping.block(Duration.ofSeconds(30))).hasCauseInstanceOf(BlockingOperationError.class);
    }
}
