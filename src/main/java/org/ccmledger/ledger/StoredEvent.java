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
 * @param hash                this event's hash as stored, see {@link EventHash}
 * @param hashFormat          the canonical form its hash uses: 2 (typed, {@code hashFormat: 2} stored) or 1
 * @param stored              the document as read, for hashing it as stored; {@code null} before it is stored
 */
public record StoredEvent(long globalIndex, String streamKey, String aggregateIdentifier, long sequenceNumber,
                          String aggregateType, String eventIdentifier, String timestamp, String payloadType,
                          String payloadRevision, String payload, String metaData, Instant recordedAt,
                          String previousHash, String hash, int hashFormat, Document stored) {

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

    /** An event about to be stored, not yet hashed. */
    static StoredEvent unsealed(long globalIndex, String streamKey, String aggregateIdentifier, long sequenceNumber,
                                String aggregateType, String eventIdentifier, String timestamp, String payloadType,
                                String payloadRevision, String payload, String metaData, Instant recordedAt,
                                String previousHash) {
        return new StoredEvent(globalIndex, streamKey, aggregateIdentifier, sequenceNumber, aggregateType,
                               eventIdentifier, timestamp, payloadType, payloadRevision, payload, metaData,
                               recordedAt, previousHash, null, EventHash.TYPED_FORMAT, null);
    }

    /** This event with its hash computed, by the typed form, over the document that will be stored. */
    StoredEvent sealed() {
        return new StoredEvent(globalIndex, streamKey, aggregateIdentifier, sequenceNumber, aggregateType,
                               eventIdentifier, timestamp, payloadType, payloadRevision, payload, metaData,
                               recordedAt, previousHash, EventHash.typed(withoutHash()), EventHash.TYPED_FORMAT,
                               null);
    }

    Document toDocument() {
        return withoutHash().append(HASH, hash);
    }

    private Document withoutHash() {
        Document document = new Document(ID, globalIndex)
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
                .append(PREVIOUS_HASH, previousHash);
        if (hashFormat == EventHash.TYPED_FORMAT) {
            document.append(EventHash.FORMAT_FIELD, EventHash.TYPED_FORMAT);
        }
        return document;
    }

    /**
     * The event a stored document holds. Fields of an unexpected type are read as their value where they have one, so
     * that the hash ({@link #hashMatches()}), not a parse error, reports them.
     */
    static StoredEvent fromDocument(Document d) {
        Number sequence = d.get(SEQUENCE_NUMBER) instanceof Number n ? n : null;
        Date recorded = d.get(RECORDED_AT) instanceof Date date ? date : null;
        return new StoredEvent(((Number) d.get(ID)).longValue(), text(d, STREAM_KEY), text(d, AGGREGATE_IDENTIFIER),
                               sequence == null ? 0 : sequence.longValue(), text(d, AGGREGATE_TYPE),
                               text(d, EVENT_IDENTIFIER), text(d, TIMESTAMP), text(d, PAYLOAD_TYPE),
                               text(d, PAYLOAD_REVISION), text(d, PAYLOAD), text(d, META_DATA),
                               recorded == null ? Instant.EPOCH : recorded.toInstant(), text(d, PREVIOUS_HASH),
                               text(d, HASH), EventHash.isTyped(d) ? EventHash.TYPED_FORMAT : 1, d);
    }

    /**
     * The hash of the event's content as it is (as read, or as it will be stored), by its form; {@code null} when a v1
     * event's global index or sequence number is not stored as the 64-bit integer it was written as.
     */
    public String contentHash() {
        if (hashFormat == EventHash.TYPED_FORMAT) {
            return EventHash.typed(stored == null ? withoutHash() : stored);
        }
        boolean asWritten = stored == null || stored.get(ID) instanceof Long
                && (stored.get(SEQUENCE_NUMBER) == null || stored.get(SEQUENCE_NUMBER) instanceof Long);
        return asWritten ? EventHash.of(this) : null;
    }

    private static String text(Document d, String field) {
        Object value = d.get(field);
        return value == null ? null : value.toString();
    }

    /** Whether the stored hash equals the hash of the content as read (by the form the event was hashed with). */
    public boolean hashMatches() {
        return hash != null && hash.equals(contentHash());
    }
}
