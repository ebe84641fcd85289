package org.ccmledger.billing.api;

import java.util.Objects;

/**
 * One event of the ledger a billing decision rests on: its aggregate stream, sequence number in it, and event id.
 * The pair (aggregate, sequence) is the event's unique key in the store, so its hash can be looked up and checked.
 *
 * @param aggregateId the event's stream, e.g. {@code <practiceId>/<patientId>}
 * @param sequence    its sequence number in that stream
 * @param eventId     its event id
 */
public record EventRef(String aggregateId, long sequence, String eventId) {

    public EventRef {
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(eventId, "eventId");
    }
}
