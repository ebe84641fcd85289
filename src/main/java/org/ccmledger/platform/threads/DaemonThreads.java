package org.ccmledger.platform.threads;

import java.util.concurrent.ThreadFactory;

/**
 * Threads for the service's own background work (commits, schedules, scans, sends): daemon threads, so that a JVM
 * that is stopping does not wait for them, each named for what it does, as thread dumps and profiles show it.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /**
     * Does {@code work} once in a daemon thread of its own, ahead of the first caller that needs what it prepares
     * (reading data, loading a library's model). A failure is dropped: that caller does the work again and reports it.
     */
    public static void prepareAhead(String name, Runnable work) {
        named(name).newThread(() -> {
            try {
                work.run();
            } catch (RuntimeException failed) {
                // left for the first caller to meet and report
            }
        }).start();
    }

    /** A factory of daemon threads, every one named {@code name}. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
