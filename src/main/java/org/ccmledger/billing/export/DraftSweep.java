package org.ccmledger.billing.export;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.ccmledger.platform.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every ten minutes, drops the copies of interchanges prepared more than an hour ago whose batch was never recorded
 * ({@link ClaimBatches#sweepDrafts}): exports that failed for another reason than a lost race (the store unreachable,
 * a node stopped between preparing and recording), whose copies would otherwise keep their patients' identities in
 * clear for good. An hour is past any record that could still land: the export ledger refuses a batch prepared more
 * than {@link KeptInterchanges#RECORD_WITHIN} before. Every instance may run it: what it does is decided by the export
 * ledger, so twice is once.
 */
@Component
class DraftSweep implements SmartLifecycle {

    static final Duration EVERY = Duration.ofMinutes(10);
    static final Duration AFTER = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(DraftSweep.class);

    private final ClaimBatches batches;
    private final Clock clock = Clock.systemUTC();
    private ScheduledExecutorService executor;

    DraftSweep(ClaimBatches batches) {
        this.batches = batches;
    }

    void sweep() {
        try {
            int dropped = batches.sweepDrafts(clock.instant().minus(AFTER));
            if (dropped > 0) {
                log.info("Dropped {} kept interchange(s) whose batch was never recorded", dropped);
            }
        } catch (RuntimeException e) {
            log.warn("Sweeping the interchanges never recorded failed ({}); next try in {}", e.getClass().getName(),
                     EVERY);
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("claim-draft-sweep"));
        executor.scheduleWithFixedDelay(this::sweep, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
