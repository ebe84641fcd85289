package org.ccmledger.platform.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The service's background threads are daemons named for their work, so a stopping JVM never waits on them. */
class DaemonThreadsTest {

    @Test
    void aFactorysThreadsAreNamedDaemons() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2, DaemonThreads.named("some-work"));
        try {
            Thread ran = executor.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
            assertThat(ran.isDaemon()).isTrue();
            assertThat(ran.getName()).isEqualTo("some-work");
            assertThat(ran).isNotSameAs(Thread.currentThread());
        } finally {
            executor.shutdownNow();
        }
    }
}
