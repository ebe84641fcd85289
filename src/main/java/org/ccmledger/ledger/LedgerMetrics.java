package org.ccmledger.ledger;

/**
 * Where the event store reports what it does. {@link #NONE} discards; the service's implementation publishes to
 * Micrometer (see {@code platform.axon.MicrometerLedgerMetrics}).
 */
public interface LedgerMetrics {

    LedgerMetrics NONE = new LedgerMetrics() {
    };

    /** A commit of {@code events} events took {@code nanos} nanoseconds. */
    default void appended(int events, long nanos) {
    }

    /** A tracking read dropped {@code count} gaps as dead. */
    default void gapsDropped(int count) {
    }
}
