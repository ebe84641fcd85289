package org.ccmledger.benchmark;

import java.util.Locale;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/** The aggregate cache's counters as a benchmark prints them: loads answered from memory, dropped, not kept. */
final class AggregateCacheCounts {

    private AggregateCacheCounts() {
    }

    static String of(MeterRegistry meters) {
        return String.format(Locale.ROOT, "%.0f hits, %.0f stale, %.0f misses", count(meters, "hit"),
                             count(meters, "stale"), count(meters, "miss"));
    }

    private static double count(MeterRegistry meters, String result) {
        FunctionCounter counter = meters.find("ccm.ledger.aggregate.cache").tag("result", result).functionCounter();
        return counter == null ? 0 : counter.count();
    }
}
