package org.ccmledger.platform.axon;

import org.bson.Document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An event payload kept whole in a read-model document ({@code type}, {@code payload}), so that a read model can store
 * events as they arrive and fold them in stream order when asked, with the same fold the aggregate uses. Types are
 * written under their stable stored names ({@link StableTypeNames}) and only this project's types are read back.
 */
public final class EventJson {

    private static final String OUR_TYPES = "org.ccmledger.";
    private static final ObjectMapper JSON = LedgerJson.mapper();

    private EventJson() {
    }

    /** The payload as a document of its stored type name and its JSON. */
    public static Document document(Object payload) {
        try {
            return new Document("type", StableTypeNames.storedName(payload.getClass().getName()))
                    .append("payload", JSON.writeValueAsString(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event payload of " + payload.getClass().getSimpleName()
                                            + " not serialisable", e);
        }
    }

    /** The payload a {@link #document} holds. */
    public static Object payload(Document document) {
        return payload(document.getString("type"), document.getString("payload"));
    }

    /** The payload of a stored type name and its JSON. */
    public static Object payload(String storedType, String json) {
        String className = StableTypeNames.className(storedType);
        if (!className.startsWith(OUR_TYPES)) {
            throw new IllegalStateException("a kept event has a foreign type");
        }
        try {
            return JSON.readValue(json, Class.forName(className));
        } catch (JsonProcessingException | ClassNotFoundException e) {
            // the parser's message may quote the payload, which may be PHI
            throw new IllegalStateException("a kept event of " + className + " is unreadable");
        }
    }
}
