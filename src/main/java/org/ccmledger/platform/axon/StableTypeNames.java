package org.ccmledger.platform.axon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * The event serializer: Jackson, with payload type names that outlive package moves. A stored event names its
 * payload's class, and that name is part of its hash, so a class that moves keeps the name its events were first
 * written under: {@link #typeForClass} writes the stored name, {@link #resolveClassName} reads it back into today's
 * class. Events written before and after a move are stored alike, and old ledgers load unchanged.
 * <p>
 * Moves so far: the patient's shared messages and ids, {@code org.ccmledger.enrollment.api} (stored name) to
 * {@code org.ccmledger.patient} (class), when the features were untangled into a shared kernel.
 */
public final class StableTypeNames extends JacksonSerializer {

    /** Package prefix of today's classes → the prefix their events are stored under. */
    private static final Map<String, String> STORED_PREFIX = Map.of("org.ccmledger.patient.",
                                                                    "org.ccmledger.enrollment.api.");

    private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

    private StableTypeNames(Builder builder) {
        super(builder);
    }

    /** The event serializer over {@code mapper}, revisions from {@code revisions}. */
    public static StableTypeNames serializer(ObjectMapper mapper, RevisionResolver revisions) {
        return new StableTypeNames(JacksonSerializer.builder().objectMapper(mapper).revisionResolver(revisions));
    }

    /** The name a class's instances are stored under. */
    public static String storedName(String className) {
        for (Map.Entry<String, String> move : STORED_PREFIX.entrySet()) {
            if (className.startsWith(move.getKey())) {
                return move.getValue() + className.substring(move.getKey().length());
            }
        }
        return className;
    }

    /** The class a stored name denotes today. */
    public static String className(String storedName) {
        for (Map.Entry<String, String> move : STORED_PREFIX.entrySet()) {
            if (storedName.startsWith(move.getValue())) {
                return move.getKey() + storedName.substring(move.getValue().length());
            }
        }
        return storedName;
    }

    @Override
    public SerializedType typeForClass(Class type) {
        SerializedType named = super.typeForClass(type);
        String stored = storedName(named.getName());
        return stored.equals(named.getName()) ? named : new SimpleSerializedType(stored, named.getRevision());
    }

    @Override
    protected String resolveClassName(SerializedType serializedType) {
        return className(serializedType.getName());
    }

    /**
     * The class of a stored name, looked up once: Jackson's type factory asks the class loader each time, and every
     * event read, by the store or by each processor's segment, asks for its payload's and metadata's classes.
     * Unknown names are not kept here (Axon keeps them itself).
     */
    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        Class<?> known = classes.get(type.getName());
        if (known != null) {
            return known;
        }
        Class<?> found = super.classForType(type);
        if (found != UnknownSerializedType.class && found != Void.class) {
            classes.put(type.getName(), found);
        }
        return found;
    }

    /**
     * The reader of a class, made once: Axon's serializer makes a new one for every payload and metadata it reads
     * (a twentieth of a billing rebuild's handling). A reader is immutable and shared by every thread.
     */
    @Override
    protected ObjectReader getReader(Class<?> type) {
        return readers.computeIfAbsent(type, super::getReader);
    }

    /**
     * As Axon's, but stored text (every event's payload and metadata) is read from its UTF-8 bytes without asking the
     * converter chain, which searched its converters for each of them; anything else goes Axon's way.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        if (!(serializedObject.getData() instanceof String text)
                || SimpleSerializedType.emptyType().equals(serializedObject.getType())) {
            return super.deserialize(serializedObject);
        }
        Class<?> type = classForType(serializedObject.getType());
        if (UnknownSerializedType.class.isAssignableFrom(type)) {
            return super.deserialize(serializedObject);
        }
        try {
            return (T) getReader(type).readValue(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SerializationException("Error while deserializing object", e);
        }
    }
}
