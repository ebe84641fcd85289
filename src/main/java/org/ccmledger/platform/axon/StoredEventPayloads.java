package org.ccmledger.platform.axon;

import java.util.Map;

import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.ccmledger.ledger.StoredEvent;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the payload and metadata of events taken straight from the store (not through Axon's event stream), for
 * answers that need the ledger's own fields as well: the recorded time, the global index, the hash.
 */
@Component
public class StoredEventPayloads {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Serializer serializer;
    private final ObjectMapper json = LedgerJson.mapper();

    StoredEventPayloads(@Qualifier("eventSerializer") Serializer serializer) {
        this.serializer = serializer;
    }

    /** The event's payload as its Java type. */
    public Object payload(StoredEvent event) {
        return serializer.deserialize(new SimpleSerializedObject<>(event.payload(), String.class,
                                                                   event.payloadType(), event.payloadRevision()));
    }

    /** A payload shown as a tree ({@link #tree}) as its Java type again. */
    public Object payload(String payloadType, String revision, Map<String, Object> tree) {
        try {
            return serializer.deserialize(new SimpleSerializedObject<>(json.writeValueAsString(tree), String.class,
                                                                       payloadType, revision));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a payload tree of " + payloadType + " is not writable");
        }
    }

    /** The event's metadata (actor, request id …), empty when there is none. */
    public Map<String, Object> metaData(StoredEvent event) {
        return tree(event.metaData());
    }

    /** A JSON text as a map, for showing a payload as stored. */
    public Map<String, Object> tree(String jsonText) {
        if (jsonText == null || jsonText.isBlank()) {
            return Map.of();
        }
        try {
            return json.readValue(jsonText, MAP);
        } catch (JsonProcessingException e) {
            // the parser's message quotes the stored text, which may be PHI: keep only where it failed
            throw new IllegalStateException("stored JSON unreadable at line " + e.getLocation().getLineNr()
                                            + ", column " + e.getLocation().getColumnNr());
        }
    }
}
