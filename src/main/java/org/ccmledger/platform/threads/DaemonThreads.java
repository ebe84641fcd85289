package org.ccmledger.platform.threads;

import java.util.concurrent.ThreadFactory;

/**
 * Threads for the service's own background work (commits, schedules, scans, sends): daemon threads, so that a JVM
 * that is stopping does not wait for them, each named for what it does, as thread dumps and profiles show it.
 */
public final class DaemonThreads {

    private DaemonThreads() {
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
