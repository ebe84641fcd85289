package org.ccmledger.integrity;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.ccmledger.platform.problem.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Takes a digest every {@code ccm.integrity.digest-interval} (default one hour, first one interval after start)
 * when the ledger has slots no digest sealed yet; off when the interval is zero. Runs on its own thread, stops
 * before the database client closes.
 */
@Component
class DigestSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DigestSchedule.class);

    private final IntegrityService integrity;
    private final IntegrityProperties properties;
    private ScheduledExecutorService executor;

    DigestSchedule(IntegrityService integrity, IntegrityProperties properties) {
        this.integrity = integrity;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (!properties.scheduled()) {
            log.info("Scheduled ledger digests are off (ccm.integrity.digest-interval=0)");
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ledger-digest");
            thread.setDaemon(true);
            return thread;
        });
        long millis = properties.digestInterval().toMillis();
        executor.scheduleWithFixedDelay(this::sealIfLedgerGrew, millis, millis, TimeUnit.MILLISECONDS);
    }

    void sealIfLedgerGrew() {
        try {
            integrity.sealIfLedgerGrew().ifPresent(digest -> log.info(
                    "Ledger digest {} seals global indexes 1 to {} (root {})", digest.sequence(),
                    digest.sealedUpTo(), digest.merkleRoot()));
        } catch (Refusal refusal) {
            log.error("Scheduled ledger digest refused: {} ({})", refusal.code(), refusal.getMessage());
        } catch (RuntimeException e) {
            // the message of a database error may quote stored data: only its type is logged
            log.error("Scheduled ledger digest failed ({})", e.getClass().getName());
        }
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
