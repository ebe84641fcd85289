package org.ccmledger.integrity;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.ccmledger.ledger.LedgerDigests.Digest;
import org.ccmledger.ledger.MongoTokenStore;
import org.ccmledger.platform.problem.Refusal;
import org.ccmledger.platform.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoDatabase;

/**
 * Takes a digest every {@code ccm.integrity.digest-interval} (default one hour, the first one interval after the
 * schedule first ran anywhere) when the ledger has slots no digest sealed yet; off when the interval is zero. When
 * several instances share the ledger, only the holder of the {@link DigestLease} runs it: the lease lives as long as a
 * processor's claim ({@code ccm.ledger.claim-timeout}) and is renewed every third of that, also while a digest is
 * being taken, so a digest is never taken by two instances at once, and when the holder dies another takes over the
 * schedule (and its rhythm) once the lease expires. Runs on threads of its own, stops (and gives up the lease) before
 * the database client closes.
 */
@Component
class DigestSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DigestSchedule.class);

    private final Supplier<Optional<Digest>> seal;
    private final IntegrityProperties properties;
    private final DigestLease lease;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean sealing = new AtomicBoolean();
    private ScheduledExecutorService ticks;
    private ExecutorService runs;

    @Autowired
    DigestSchedule(IntegrityService integrity, IntegrityProperties properties, MongoDatabase database,
                   MongoTokenStore tokens) {
        this(integrity::sealIfLedgerGrew, properties,
             new DigestLease(database, tokens.nodeId(), tokens.claimTimeout(), Clock.systemUTC()));
    }

    /** The schedule around {@code seal}, which takes a digest when the ledger grew. */
    DigestSchedule(Supplier<Optional<Digest>> seal, IntegrityProperties properties, DigestLease lease) {
        this.seal = seal;
        this.properties = properties;
        this.lease = lease;
    }

    @Override
    public synchronized void start() {
        if (!properties.scheduled()) {
            log.info("Scheduled ledger digests are off (ccm.integrity.digest-interval=0)");
            return;
        }
        ticks = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ledger-digest-lease"));
        runs = Executors.newSingleThreadExecutor(DaemonThreads.named("ledger-digest"));
        long interval = properties.digestInterval().toMillis();
        long tick = Math.max(1, Math.min(interval, lease.timeToLive().toMillis() / 3));
        ticks.scheduleWithFixedDelay(this::tick, 0, tick, TimeUnit.MILLISECONDS);
    }

    /** Renews (or takes) the lease; when held and a run is due, starts one, which renewals go on covering. */
    private void tick() {
        Optional<Instant> lastRun;
        try {
            lastRun = lease.acquire();
        } catch (RuntimeException e) {
            log.warn("Could not renew the digest schedule's lease ({})", e.getClass().getName());
            return;
        }
        if (lastRun.isEmpty() || clock.instant().isBefore(lastRun.get().plus(properties.digestInterval()))
                || !sealing.compareAndSet(false, true)) {
            return;
        }
        try {
            runs.execute(() -> {
                try {
                    Instant started = clock.instant();
                    lease.ran(started);
                    sealIfLedgerGrew();
                    log.info("Digest schedule ran on {} from {} to {}", lease.node(), started, clock.instant());
                } catch (RuntimeException e) {
                    log.error("Scheduled ledger digest failed ({})", e.getClass().getName());
                } finally {
                    sealing.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            sealing.set(false);
        }
    }

    void sealIfLedgerGrew() {
        try {
            seal.get().ifPresent(digest -> log.info(
                    "Ledger digest {} seals global indexes 1 to {} (root {}), taken by {}", digest.sequence(),
                    digest.sealedUpTo(), digest.merkleRoot(), lease.node()));
        } catch (Refusal refusal) {
            log.error("Scheduled ledger digest refused: {} ({})", refusal.code(), refusal.getMessage());
        } catch (RuntimeException e) {
            // the message of a database error may quote stored data: only its type is logged
            log.error("Scheduled ledger digest failed ({})", e.getClass().getName());
        }
    }

    @Override
    public synchronized void stop() {
        if (ticks != null) {
            ticks.shutdownNow();
            runs.shutdownNow();
            try {
                runs.awaitTermination(10, TimeUnit.SECONDS);
                lease.release();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.debug("Could not give up the digest schedule's lease ({})", e.getClass().getName());
            }
            ticks = null;
            runs = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return ticks != null;
    }
}
