package org.ccmledger.support;

import reactor.blockhound.BlockHound;

/**
 * BlockHound for the whole test JVM: a blocking call on a thread that must never block (Netty's event loops, Reactor's
 * parallel scheduler) fails the request that made it. Installed once, when the test run starts
 * ({@link BlockingChecksSession}), before any test has started a thread.
 * <p>
 * Installed later, by the first HTTP test class to load, it found the parallel scheduler's workers of a service an
 * earlier test had started already parked inside their queue's {@code take}, where BlockHound allows waiting only for
 * a thread that entered it after installation. Each such worker was refused its next wait and died there
 * ({@code IllegalMonitorStateException}), leaving its queue's condition to threads that no longer wait on it, and the
 * console's next session, handed over on that scheduler, never came: a console test hung with every thread idle.
 * <p>
 * Benchmarks run without it ({@code -Pbenchmark} sets {@code ccm.test.blockhound=false}): it wraps every park, wait,
 * socket and file call of the JVM, and the embedded server's command handling, in checks the service never runs.
 */
public final class BlockingChecks {

    private BlockingChecks() {
    }

    /** Installs BlockHound with the project's allowances, unless the run says not to; later calls do nothing. */
    public static void install() {
        if (!enabled()) {
            return;
        }
        // install() also loads the integrations on the class path (Reactor's, Netty's), which say which threads
        // must never block; the embedded database server's own threads are the database, not our event loop
        BlockHound.install(builder -> builder
                .allowBlockingCallsInside("org.ccmledger.platform.mongo.DurableH2Backend", "handleCommand")
                // Spring's static-resource resolver checks a jar entry is readable on the event loop; it serves
                // only Swagger UI's files here, never API requests
                .allowBlockingCallsInside("org.springframework.web.reactive.resource.PathResourceResolver",
                                          "getResource")
                // springdoc builds the OpenAPI document once, at start-up (pre-loading), under a lock: a request
                // for /v3/api-docs that arrives while it is being built waits for it once
                .allowBlockingCallsInside("org.springdoc.api.AbstractOpenApiResource", "getOpenApi")
                // Netty's own buffer allocator: when an event loop adds a magazine it frees the spare one under that
                // magazine's StampedLock, which a worker thread writing a streamed response may hold for a moment
                // (seen failing a 9,000-line import's response); Netty's BlockHound integration misses this path
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
                                          "tryExpandMagazines"));
    }

    /** Whether this run installs BlockHound: the tests do, benchmarks ({@code -Pbenchmark}) do not. */
    public static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty("ccm.test.blockhound", "true"));
    }
}
