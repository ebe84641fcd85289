package org.ccmledger.billing.api;

import java.util.Objects;

/** An event a statement rests on, with the SHA-256 the ledger stored for it, so the statement can be re-checked. */
public record CountedEvent(String aggregateId, long sequence, String eventId, String hash) {

    public CountedEvent {
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(hash, "hash");
    }
}
