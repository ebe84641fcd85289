package org.ccmledger.platform.axon;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.ccmledger.ledger.LedgerCollections;
import org.ccmledger.ledger.LedgerIntegrityException;
import org.ccmledger.ledger.LedgerMetrics;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.MongoTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The store's own metrics, published to Micrometer (Prometheus names in parentheses):
 * {@code ccm.ledger.append} timer ({@code ccm_ledger_append_seconds}), {@code ccm.ledger.events.appended}
 * ({@code ccm_ledger_events_appended_total}), {@code ccm.ledger.gaps.dropped}, and per tracking processor
 * {@code ccm.ledger.gaps.open} ({@code ccm_ledger_gaps_open}) and {@code ccm.ledger.processor.lag}
 * ({@code ccm_ledger_processor_lag_events}); {@code ccm.ledger.integrity.failures}
 * ({@code ccm_ledger_integrity_failures_total}), each event that failed verify-on-read counted once while it stays
 * failed, with one ERROR line naming its global index. The failures outstanding are what the {@code ledger} health
 * component reports. Tags carry processor names only, never data.
 */
public class MicrometerLedgerMetrics implements LedgerMetrics {

    private static final Logger log = LoggerFactory.getLogger(MicrometerLedgerMetrics.class);

    private final MeterRegistry registry;
    private final LedgerCollections collections;
    private final Timer append;
    private final Counter appended;
    private final Counter gapsDropped;
    private final Counter integrityFailures;
    private final Map<Long, LedgerVerifier.Problem> outstanding = new ConcurrentSkipListMap<>();

    public MicrometerLedgerMetrics(MeterRegistry registry, LedgerCollections collections) {
        this.registry = registry;
        this.collections = collections;
        this.append = Timer.builder("ccm.ledger.append").description("One commit appended to the event store")
                           .publishPercentileHistogram().register(registry);
        this.appended = Counter.builder("ccm.ledger.events.appended").description("Events appended")
                               .register(registry);
        this.gapsDropped = Counter.builder("ccm.ledger.gaps.dropped")
                                  .description("Gaps dropped by tracking readers as dead").register(registry);
        this.integrityFailures = Counter.builder("ccm.ledger.integrity.failures")
                                        .description("Events (or snapshots) refused by verify-on-read")
                                        .register(registry);
    }

    @Override
    public void integrityFailure(LedgerIntegrityException failure) {
        if (outstanding.putIfAbsent(failure.globalIndex(), failure.problem()) == null) {
            integrityFailures.increment();
            log.error("Ledger integrity: the event at global index {} failed verification on read ({}); it is "
                      + "refused wherever it is read until it verifies again. Run the ledger verifier",
                      failure.globalIndex(), failure.problem());
        }
    }

    @Override
    public void integrityConfirmed(long globalIndex) {
        if (outstanding.remove(globalIndex) != null) {
            log.info("Ledger integrity: the event at global index {} verifies again", globalIndex);
        }
    }

    @Override
    public boolean integrityFailuresOutstanding() {
        return !outstanding.isEmpty();
    }

    /** The events that failed verify-on-read and have not verified since, by global index. */
    public Map<Long, LedgerVerifier.Problem> outstandingIntegrityFailures() {
        return Map.copyOf(outstanding);
    }

    @Override
    public void appended(int events, long nanos) {
        append.record(nanos, TimeUnit.NANOSECONDS);
        appended.increment(events);
    }

    @Override
    public void gapsDropped(int count) {
        gapsDropped.increment(count);
    }

    /** Registers the lag and open-gap gauges of one tracking processor, read from its stored tokens. */
    public void trackProcessor(String processorName, MongoTokenStore tokenStore) {
        Gauge.builder("ccm.ledger.processor.lag", () -> lag(tokenStore.peekTokens(processorName)))
             .description("Events between the head of the ledger and the processor's slowest segment")
             .baseUnit("events").tag("processor", processorName).register(registry);
        Gauge.builder("ccm.ledger.gaps.open", () -> openGaps(tokenStore.peekTokens(processorName)))
             .description("Reserved indexes below the processor's tokens that hold nothing yet")
             .tag("processor", processorName).register(registry);
    }

    private double lag(List<TrackingToken> tokens) {
        long head = collections.highestReserved();
        long slowest = tokens.stream()
                             .mapToLong(t -> t == null ? 0 : positionOf(t))
                             .min().orElse(0);
        return Math.max(0, head - slowest);
    }

    private static long positionOf(TrackingToken token) {
        OptionalLong position = token.position();
        return position.orElse(0);
    }

    /**
     * The gaps the processor still waits for: indexes in its tokens' gaps whose slot holds nothing yet, each counted
     * once. A gap already decided (a tombstone) or filled stays in a stored token until the next event passes it, so
     * on a quiet ledger after a crash the tokens alone would report a gap, and page someone, for hours.
     */
    private double openGaps(List<TrackingToken> tokens) {
        Set<Long> gaps = new TreeSet<>();
        tokens.stream()
              .map(t -> t == null ? null : WrappedToken.unwrapLowerBound(t))
              .filter(GapAwareTrackingToken.class::isInstance)
              .forEach(t -> gaps.addAll(((GapAwareTrackingToken) t).getGaps()));
        if (gaps.isEmpty()) {
            return 0;
        }
        gaps.removeAll(collections.occupied(gaps));
        return gaps.size();
    }
}
