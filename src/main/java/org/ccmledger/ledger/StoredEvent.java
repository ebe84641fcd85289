package org.ccmledger.ledger;

import java.time.Instant;
import java.util.Date;

import org.bson.Document;

/**
 * One event document of the {@code events} collection, field for field. See {@code docs/ledger.md}.
 *
 * @param globalIndex         the event's position in the whole ledger, assigned by the database; the document key
 * @param streamKey           unique key of the event within its aggregate: {@code a:}, aggregate id, {@code #},
 *                            sequence number (for an event of no aggregate: {@code e:} and the event id); a tombstone
 *                            has {@code t:} and its global index, so the three kinds of key never collide
 * @param aggregateIdentifier the aggregate's id, or {@code null}
 * @param sequenceNumber      the event's sequence number in its aggregate
 * @param aggregateType       the aggregate type, or {@code null}
 * @param eventIdentifier     the message id
 * @param timestamp           the message timestamp, ISO-8601 UTC with full precision
 * @param payloadType         the serialized payload's type name
 * @param payloadRevision     the payload's revision, or {@code null}
 * @param payload             the serialized payload (JSON text)
 * @param metaData            the serialized metadata (JSON text)
 * @param recordedAt          when the ledger reserved the event's global index (the recorded time)
 * @param previousHash        the hash of the previous event of the same aggregate
 * @param hash                this event's hash, see {@link EventHash}
 */
public record StoredEvent(long globalIndex, String streamKey, String aggregateIdentifier, long sequenceNumber,
                          String aggregateType, String eventIdentifier, String timestamp, String payloadType,
                          String payloadRevision, String payload, String metaData, Instant recordedAt,
                          String previousHash, String hash) {

    static final String ID = "_id";
    static final String STREAM_KEY = "streamKey";
    static final String AGGREGATE_IDENTIFIER = "aggregateIdentifier";
    static final String SEQUENCE_NUMBER = "sequenceNumber";
    static final String AGGREGATE_TYPE = "aggregateType";
    static final String EVENT_IDENTIFIER = "eventIdentifier";
    static final String TIMESTAMP = "timestamp";
    static final String PAYLOAD_TYPE = "payloadType";
    static final String PAYLOAD_REVISION = "payloadRevision";
    static final String PAYLOAD = "payload";
    static final String META_DATA = "metaData";
    static final String RECORDED_AT = "recordedAt";
    static final String PREVIOUS_HASH = "previousHash";
    static final String HASH = "hash";

    static final String TOMBSTONE = "tombstone";
    static final String TOMBSTONE_REASON = "reason";

    /** The stream key of an aggregate's event. */
    public static String streamKey(String aggregateIdentifier, long sequenceNumber) {
        return "a:" + aggregateIdentifier + "#" + sequenceNumber;
    }

    static String standaloneStreamKey(String eventIdentifier) {
        return "e:" + eventIdentifier;
    }

    /** The stream key this event must have, derived from its other fields. */
    String expectedStreamKey() {
        return aggregateIdentifier == null ? standaloneStreamKey(eventIdentifier)
                : streamKey(aggregateIdentifier, sequenceNumber);
    }

    /**
     * A tombstone: the document that takes a reserved global index whose commit failed or timed out, so that the
     * index is decided for good. Whoever inserts first into a slot wins, the event or the tombstone; the unique
     * {@code _id} arbitrates.
     */
    static Document tombstone(long globalIndex, Instant recordedAt, String reason) {
        return new Document(ID, globalIndex)
                .append(STREAM_KEY, "t:" + globalIndex)
                .append(TOMBSTONE, true)
                .append(TOMBSTONE_REASON, reason)
                .append(RECORDED_AT, Date.from(recordedAt));
    }

    static boolean isTombstone(Document document) {
        return Boolean.TRUE.equals(document.getBoolean(TOMBSTONE));
    }

    /** This event with its hash computed from its other fields. */
    StoredEvent sealed() {
        StoredEvent withoutHash = new StoredEvent(globalIndex, streamKey, aggregateIdentifier, sequenceNumber,
                                                  aggregateType, eventIdentifier, timestamp, payloadType,
                                                  payloadRevision, payload, metaData, recordedAt, previousHash, null);
        return new StoredEvent(globalIndex, streamKey, aggregateIdentifier, sequenceNumber, aggregateType,
                               eventIdentifier, timestamp, payloadType, payloadRevision, payload, metaData,
                               recordedAt, previousHash, EventHash.of(withoutHash));
    }

    Document toDocument() {
        return new Document(ID, globalIndex)
                .append(STREAM_KEY, streamKey)
                .append(AGGREGATE_IDENTIFIER, aggregateIdentifier)
                .append(SEQUENCE_NUMBER, sequenceNumber)
                .append(AGGREGATE_TYPE, aggregateType)
                .append(EVENT_IDENTIFIER, eventIdentifier)
                .append(TIMESTAMP, timestamp)
                .append(PAYLOAD_TYPE, payloadType)
                .append(PAYLOAD_REVISION, payloadRevision)
                .append(PAYLOAD, payload)
                .append(META_DATA, metaData)
                .append(RECORDED_AT, Date.from(recordedAt))
                .append(PREVIOUS_HASH, previousHash)
                .append(HASH, hash);
    }

    static StoredEvent fromDocument(Document d) {
        Number sequence = d.get(SEQUENCE_NUMBER, Number.class);
        Date recorded = d.getDate(RECORDED_AT);
        return new StoredEvent(d.get(ID, Number.class).longValue(), d.getString(STREAM_KEY),
                               d.getString(AGGREGATE_IDENTIFIER), sequence == null ? 0 : sequence.longValue(),
                               d.getString(AGGREGATE_TYPE), d.getString(EVENT_IDENTIFIER), d.getString(TIMESTAMP),
                               d.getString(PAYLOAD_TYPE), d.getString(PAYLOAD_REVISION), d.getString(PAYLOAD),
                               d.getString(META_DATA), recorded == null ? Instant.EPOCH : recorded.toInstant(),
                               d.getString(PREVIOUS_HASH), d.getString(HASH));
    }

    /** Whether the stored hash equals the hash recomputed from the stored fields. */
    public boolean hashMatches() {
        return hash != null && hash.equals(sealed().hash());
    }
}
