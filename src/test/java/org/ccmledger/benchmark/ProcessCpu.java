package org.ccmledger.benchmark;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The CPU time this JVM has used (every thread: the service's, its processors', the embedded server's, the
 * collector's), so that a benchmark can say what a piece of work cost in CPU and not only in elapsed time, which on a
 * shared two-core machine also depends on how the work overlaps and on what the host takes; and two things that take
 * from it, the JIT's compiling and the collectors' pauses.
 */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** The JVM's CPU time so far, in nanoseconds. */
    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Milliseconds the JIT compilers have spent so far. */
    static long compilingMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** Milliseconds the JVM's garbage collectors have taken so far (their pauses, for G1's young collections). */
    static long collectorMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }
}
