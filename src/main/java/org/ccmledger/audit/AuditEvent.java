package org.ccmledger.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One event of the log as an auditor sees it: where it sits in the ledger, what it is, who caused it, what it says,
 * and its hash.
 *
 * @param globalIndex  its position in the ledger
 * @param aggregateId  its stream, {@code null} for an event of no aggregate (an access record)
 * @param sequence     its sequence number in that stream
 * @param type         the payload type's simple name
 * @param payloadType  the payload type's full name
 * @param revision     the payload revision
 * @param eventId      the event id
 * @param recordedAt   when the ledger recorded it
 * @param performedAt  when what it records happened, where the event says (time entry start, consent obtained …)
 * @param actor        who caused it (metadata)
 * @param requestId    the request's correlation id (metadata)
 * @param payload      the payload as stored
 * @param previousHash the hash of its stream's previous event
 * @param hash         its hash
 * @param imported     for a fact brought in by an onboarding import: the import, its line id and when the product
 *                     the practice came from recorded it (metadata); else {@code null}
 */
record AuditEvent(long globalIndex, String aggregateId, long sequence, String type, String payloadType,
                  String revision, String eventId, Instant recordedAt, Instant performedAt, String actor,
                  String requestId, Map<String, Object> payload, String previousHash, String hash,
                  Imported imported) {

    /** Where an imported fact came from. */
    record Imported(String importId, String line, Instant originallyRecordedAt) {
    }
}
