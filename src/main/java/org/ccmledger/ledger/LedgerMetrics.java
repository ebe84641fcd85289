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

    /** Verify-on-read refused an event (or a snapshot): it is about to be thrown. */
    default void integrityFailure(LedgerIntegrityException failure) {
    }

    /**
     * An event at {@code globalIndex} passed verify-on-read. Called only while an integrity failure is outstanding
     * ({@link #integrityFailuresOutstanding()}), so that an alarm clears once the event reads intact again.
     */
    default void integrityConfirmed(long globalIndex) {
    }

    /** Whether a failure is outstanding: reads then report what passes. */
    default boolean integrityFailuresOutstanding() {
        return false;
    }
}
