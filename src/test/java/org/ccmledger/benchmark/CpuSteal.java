package org.ccmledger.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The CPU time the hypervisor gave to other guests ("steal", Linux's {@code /proc/stat}), so that a benchmark run on a
 * shared virtual machine shows which of its timings ran on less than the whole machine. Where {@code /proc/stat}
 * cannot be read, nothing is known and "—" is printed.
 */
record CpuSteal(long steal, long total) {

    private static final Path STAT = Path.of("/proc/stat");

    /** The machine's counters now (all CPUs, in clock ticks). */
    static CpuSteal now() {
        try {
            for (String line : Files.readAllLines(STAT)) {
                if (line.startsWith("cpu ")) {
                    String[] fields = line.trim().split("\\s+");
                    long total = 0;
                    // user nice system idle iowait irq softirq steal (guest time is counted in user already)
                    for (int i = 1; i <= 8 && i < fields.length; i++) {
                        total += Long.parseLong(fields[i]);
                    }
                    return new CpuSteal(fields.length > 8 ? Long.parseLong(fields[8]) : 0, total);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // not Linux, or no such counters: unknown
        }
        return new CpuSteal(0, 0);
    }

    /** The share of the CPU time since {@code before} that was stolen, as a percentage, or "—" when unknown. */
    String since(CpuSteal before) {
        long elapsed = total - before.total;
        if (total == 0 || before.total == 0 || elapsed <= 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.0f %%", 100.0 * (steal - before.steal) / elapsed);
    }
}
