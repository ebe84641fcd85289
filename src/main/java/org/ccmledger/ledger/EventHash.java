package org.ccmledger.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

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
        Canonical form = new Canonical();
        form.field(FORM_VERSION);
        form.number(event.globalIndex());
        form.field(event.aggregateIdentifier());
        form.number(event.sequenceNumber());
        form.field(event.aggregateType());
        form.field(event.eventIdentifier());
        form.field(event.timestamp());
        form.number(event.recordedAt().toEpochMilli());
        form.field(event.payloadType());
        form.field(event.payloadRevision());
        form.field(event.payload());
        form.field(event.metaData());
        form.field(event.previousHash());
        return form.hash();
    }

    /** The v2 hash of a stored (or about to be stored) event document: every field but {@code hash}, with its type. */
    public static String typed(Document document) {
        Canonical form = new Canonical();
        form.field(TYPED_FORM_VERSION);
        fields(form, document, true);
        return form.hash();
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

    private static void fields(Canonical form, Map<String, Object> document, boolean top) {
        // in order of field name (String's natural order), the top level without its hash
        String[] names = document.keySet().toArray(new String[0]);
        java.util.Arrays.sort(names);
        int count = names.length - (top && document.containsKey(StoredEvent.HASH) ? 1 : 0);
        form.number(count);
        for (String name : names) {
            if (!(top && StoredEvent.HASH.equals(name))) {
                form.field(name);
                value(form, document.get(name));
            }
        }
    }

    private static void value(Canonical form, Object value) {
        if (value instanceof Document nested) {
            form.field("document");
            fields(form, nested, false);
        } else if (value instanceof List<?> list) {
            form.field("array");
            form.number(list.size());
            list.forEach(element -> value(form, element));
        } else {
            form.field(typeOf(value));
            if (value instanceof Long || value instanceof Integer) {
                form.number(((Number) value).longValue());
            } else {
                form.field(text(value));
            }
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

    /**
     * The canonical bytes of one event, collected in one buffer and hashed at once: each field a netstring, the UTF-8
     * length in decimal, a colon, the bytes, a comma; a missing value is the empty string.
     */
    private static final class Canonical {

        private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(EventHash::sha256);
        /**
         * Each thread's buffer, kept from one hash to the next (a hash is taken whole before the next starts): a
         * buffer of its own for every event, grown by copies past its first kilobyte, was 2 % of what an import
         * allocated. One that grows past 64 KB (an event with a long note) is not kept.
         */
        private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[8192]);
        private static final int KEPT = 64 * 1024;

        private byte[] bytes = BUFFERS.get();
        private int length;

        void field(String value) {
            String text = value == null ? "" : value;
            if (ascii(text)) {
                // its UTF-8 bytes are its characters: written as they are, without an array of them first
                int n = text.length();
                decimal(n);
                room(n + 2);
                bytes[length++] = ':';
                for (int i = 0; i < n; i++) {
                    bytes[length++] = (byte) text.charAt(i);
                }
                bytes[length++] = ',';
                return;
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            decimal(utf8.length);
            room(utf8.length + 2);
            bytes[length++] = ':';
            System.arraycopy(utf8, 0, bytes, length, utf8.length);
            length += utf8.length;
            bytes[length++] = ',';
        }

        private static boolean ascii(String text) {
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) >= 0x80) {
                    return false;
                }
            }
            return true;
        }

        /** A number as the field of its decimal text: {@code 42} is {@code 2:42,}. */
        void number(long value) {
            if (value < 0) {
                field(Long.toString(value));
                return;
            }
            int digits = digits(value);
            decimal(digits);
            room(digits + 2);
            bytes[length++] = ':';
            writeDigits(value, digits);
            bytes[length++] = ',';
        }

        private void decimal(long value) {
            int digits = digits(value);
            room(digits);
            writeDigits(value, digits);
        }

        private void writeDigits(long value, int digits) {
            long rest = value;
            for (int i = length + digits - 1; i >= length; i--) {
                bytes[i] = (byte) ('0' + rest % 10);
                rest /= 10;
            }
            length += digits;
        }

        private static int digits(long value) {
            int digits = 1;
            for (long rest = value / 10; rest > 0; rest /= 10) {
                digits++;
            }
            return digits;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
                if (bytes.length <= KEPT) {
                    BUFFERS.set(bytes);
                }
            }
        }

        String hash() {
            MessageDigest sha = SHA256.get();
            sha.update(bytes, 0, length);
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
