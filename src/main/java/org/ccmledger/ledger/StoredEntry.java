package org.ccmledger.ledger;

import java.time.Instant;

import org.axonframework.eventhandling.GenericDomainEventEntry;

/**
 * A stored event as the serialized entry Axon deserializes and upcasts. Its timestamp is read digit by digit
 * ({@link CanonicalText}): Axon reads every event's timestamp through {@code DateTimeFormatter} each time a processor
 * gives the event its tracking token, which was a thirteenth of a read model's rebuild.
 */
final class StoredEntry extends GenericDomainEventEntry<String> {

    private final String timestamp;

    StoredEntry(StoredEvent e) {
        super(e.aggregateType(), e.aggregateIdentifier(), e.sequenceNumber(), e.eventIdentifier(), e.timestamp(),
              e.payloadType(), e.payloadRevision(), e.payload(), e.metaData());
        this.timestamp = e.timestamp();
    }

    @Override
    public Instant getTimestamp() {
        Instant canonical = CanonicalText.instant(timestamp);
        return canonical != null ? canonical : super.getTimestamp();
    }
}
