package org.ccmledger.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The canonical form and SHA-256 hash of a stored event, as written down in {@code docs/ledger.md}.
 * <p>
 * The canonical form is the sequence of the fields below, each written as a netstring: the decimal length of the
 * field's UTF-8 bytes, a colon, the bytes, a comma. A missing value is the empty string.
 * <ol>
 *   <li>{@code ccm-ledger/event/v1} (the version of this form)</li>
 *   <li>global index (decimal)</li>
 *   <li>aggregate identifier</li>
 *   <li>aggregate sequence number (decimal)</li>
 *   <li>aggregate type</li>
 *   <li>event identifier</li>
 *   <li>timestamp, ISO-8601 in UTC as stored</li>
 *   <li>recorded at: when the ledger reserved the global index, in milliseconds since the epoch (decimal)</li>
 *   <li>payload type</li>
 *   <li>payload revision</li>
 *   <li>serialized payload, as stored</li>
 *   <li>serialized metadata, as stored</li>
 *   <li>the hash of the previous event of the same aggregate, or 64 zeros for its first event (and for events that
 *   belong to no aggregate)</li>
 * </ol>
 * The hash is the lower-case hex SHA-256 of those bytes.
 */
public final class EventHash {

    /** The "previous hash" of an aggregate's first event. */
    public static final String GENESIS = "0".repeat(64);
    static final String FORM_VERSION = "ccm-ledger/event/v1";

    private EventHash() {
    }

    /** Computes the hash of the given stored event fields. */
    public static String of(StoredEvent event) {
        MessageDigest digest = sha256();
        field(digest, FORM_VERSION);
        field(digest, Long.toString(event.globalIndex()));
        field(digest, event.aggregateIdentifier());
        field(digest, Long.toString(event.sequenceNumber()));
        field(digest, event.aggregateType());
        field(digest, event.eventIdentifier());
        field(digest, event.timestamp());
        field(digest, Long.toString(event.recordedAt().toEpochMilli()));
        field(digest, event.payloadType());
        field(digest, event.payloadRevision());
        field(digest, event.payload());
        field(digest, event.metaData());
        field(digest, event.previousHash());
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void field(MessageDigest digest, String value) {
        byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
        digest.update((byte) ',');
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
