package org.ccmledger.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * The canonical forms and SHA-256 hashes of a stored event, as written down in {@code docs/ledger.md}. Both forms are
 * sequences of netstrings: the decimal length of a value's UTF-8 bytes, a colon, the bytes, a comma.
 * <p>
 * <b>{@code ccm-ledger/event/v2}</b> (every event written since, marked {@code hashFormat: 2}) covers the stored
 * document as it is, types included: after the version, for every field but {@code hash}, in order of field name,
 * the name, the field's BSON type ({@code int64}, {@code int32}, {@code string}, {@code date}, {@code null}, …) and its
 * value (decimal for integers, milliseconds since the epoch for dates, the text as stored, nested documents and arrays
 * written the same way inside). So a number stored as another type, a string for a number, and a field added or
 * removed all change the hash.
 * <p>
 * <b>{@code ccm-ledger/event/v1}</b> (events written before, without {@code hashFormat}): the version, then global
 * index, aggregate identifier, sequence number, aggregate type, event identifier, timestamp, recorded at (epoch
 * milliseconds), payload type, payload revision, payload, metadata and previous hash, a missing value being the empty
 * string. It sees values, not types, and not fields outside that list; the store also requires the global index and
 * sequence number of a v1 event to be stored as 64-bit integers, as they were written.
 * <p>
 * The hash is the lower-case hex SHA-256 of the canonical bytes.
 */
public final class EventHash {

    /** The "previous hash" of an aggregate's first event. */
    public static final String GENESIS = "0".repeat(64);
    static final String FORM_VERSION = "ccm-ledger/event/v1";
    static final String TYPED_FORM_VERSION = "ccm-ledger/event/v2";
    /** The field that marks an event hashed with the typed form, and its value. */
    static final String FORMAT_FIELD = "hashFormat";
    static final int TYPED_FORMAT = 2;

    private EventHash() {
    }

    /** The v1 hash of the given stored event fields. */
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

    /** The v2 hash of a stored (or about to be stored) event document: every field but {@code hash}, with its type. */
    public static String typed(Document document) {
        MessageDigest digest = sha256();
        field(digest, TYPED_FORM_VERSION);
        fields(digest, document, true);
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The hash an event document must carry to verify: by the form its {@code hashFormat} names. What anyone who can
     * write the database can compute, which is why a rewritten and re-hashed event is caught by its chain, its
     * stream's head and the digests, not by its own hash.
     */
    public static String rehash(Document document) {
        return isTyped(document) ? typed(document) : of(StoredEvent.fromDocument(document));
    }

    static boolean isTyped(Document document) {
        return document.containsKey(FORMAT_FIELD);
    }

    private static void fields(MessageDigest digest, Map<String, Object> document, boolean top) {
        Map<String, Object> sorted = new TreeMap<>(document);
        if (top) {
            sorted.remove(StoredEvent.HASH);
        }
        field(digest, Integer.toString(sorted.size()));
        for (Map.Entry<String, Object> entry : sorted.entrySet()) {
            field(digest, entry.getKey());
            value(digest, entry.getValue());
        }
    }

    private static void value(MessageDigest digest, Object value) {
        if (value instanceof Document nested) {
            field(digest, "document");
            fields(digest, nested, false);
        } else if (value instanceof List<?> list) {
            field(digest, "array");
            field(digest, Integer.toString(list.size()));
            list.forEach(element -> value(digest, element));
        } else {
            field(digest, typeOf(value));
            field(digest, text(value));
        }
    }

    private static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Long) {
            return "int64";
        }
        if (value instanceof Integer) {
            return "int32";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Date) {
            return "date";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Decimal128) {
            return "decimal128";
        }
        if (value instanceof ObjectId) {
            return "objectId";
        }
        if (value instanceof Binary) {
            return "binary";
        }
        return "other:" + value.getClass().getName();
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Date date) {
            return Long.toString(date.getTime());
        }
        if (value instanceof Double number) {
            return Long.toHexString(Double.doubleToRawLongBits(number));
        }
        if (value instanceof Binary binary) {
            return binary.getType() + ":" + HexFormat.of().formatHex(binary.getData());
        }
        return value.toString();
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
