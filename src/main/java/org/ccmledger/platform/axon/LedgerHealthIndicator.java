package org.ccmledger.platform.axon;

import java.util.Map;

import org.ccmledger.ledger.LedgerVerifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code ledger}: DOWN while an event that failed verify-on-read has not verified
 * again, naming its global index and the problem (never content), UP otherwise.
 */
@Component("ledger")
class LedgerHealthIndicator implements HealthIndicator {

    private final MicrometerLedgerMetrics metrics;

    LedgerHealthIndicator(MicrometerLedgerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Health health() {
        Map<Long, LedgerVerifier.Problem> failures = metrics.outstandingIntegrityFailures();
        if (failures.isEmpty()) {
            return Health.up().build();
        }
        Map.Entry<Long, LedgerVerifier.Problem> first = failures.entrySet().stream()
                                                                .min(Map.Entry.comparingByKey()).orElseThrow();
        return Health.down().withDetail("integrityFailures", failures.size())
                     .withDetail("globalIndex", first.getKey())
                     .withDetail("problem", first.getValue().name()).build();
    }
}
