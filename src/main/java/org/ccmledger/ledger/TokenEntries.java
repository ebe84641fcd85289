package org.ccmledger.ledger;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.bson.Document;

/**
 * The stored form of a processor segment's entry in {@code tokens} ({@link MongoTokenStore}): keyed
 * {@code <processor>#<segment>}, with the processor's name, the segment, the serialized token and its type, the owner
 * (node id) and the time of the last claim in milliseconds.
 */
final class TokenEntries {

    static final String PROCESSOR = "processorName";
    static final String SEGMENT = "segment";
    static final String TOKEN = "token";
    static final String TOKEN_TYPE = "tokenType";
    static final String OWNER = "owner";
    static final String CLAIMED_AT = "claimedAt";

    private final Serializer serializer;

    TokenEntries(Serializer serializer) {
        this.serializer = serializer;
    }

    static String key(String processorName, int segment) {
        return processorName + "#" + segment;
    }

    /** A segment's entry as first stored: its token ({@code null}: none yet), owned by {@code owner} or nobody. */
    Document newEntry(String processorName, int segment, TrackingToken token, String owner, long claimedAt) {
        Document document = new Document("_id", key(processorName, segment))
                .append(PROCESSOR, processorName)
                .append(SEGMENT, segment)
                .append(OWNER, owner)
                .append(CLAIMED_AT, claimedAt);
        writeToken(document, token);
        return document;
    }

    /** Adds the token, serialized, and its type to {@code document}; both {@code null} for no token. */
    void writeToken(Document document, TrackingToken token) {
        if (token == null) {
            document.append(TOKEN, null).append(TOKEN_TYPE, null);
        } else {
            SerializedObject<String> serialized = serializer.serialize(token, String.class);
            document.append(TOKEN, serialized.getData()).append(TOKEN_TYPE, serialized.getType().getName());
        }
    }

    /** The entry's token; {@code null} when it has none. */
    TrackingToken readToken(Document document) {
        String data = document.getString(TOKEN);
        if (data == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(
                data, String.class, new SimpleSerializedType(document.getString(TOKEN_TYPE), null)));
    }
}
