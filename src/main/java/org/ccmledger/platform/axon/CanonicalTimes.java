package org.ccmledger.platform.axon;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;

import org.ccmledger.ledger.CanonicalText;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Reads the instants, dates and months this service writes, {@code 2024-03-04T15:00:00Z} (with a fraction of one to
 * nine digits or none), {@code 2024-03-04} and {@code 2024-03}, digit by digit ({@link CanonicalText}) instead of
 * through {@code DateTimeFormatter}, which Jackson's
 * Java time module uses for every value: a fifth of reading a billing record, and part of every stored event read.
 * Any other text or token, and any property with a {@code @JsonFormat} pattern, goes to the module's own deserializer,
 * which this wraps (so a value reads as it did, and is refused as it was); what the fast path takes it reads to the
 * same value.
 * Register after {@code JavaTimeModule}.
 */
public final class CanonicalTimes extends SimpleModule {

    public CanonicalTimes() {
        super("ccm-canonical-times");
        setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            @SuppressWarnings("unchecked")
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                          JsonDeserializer<?> found) {
                Class<?> type = description.getBeanClass();
                if (type == Instant.class) {
                    return new Fast<>(Instant.class, (JsonDeserializer<Instant>) found, CanonicalText::instant);
                }
                if (type == LocalDate.class) {
                    return new Fast<>(LocalDate.class, (JsonDeserializer<LocalDate>) found, CanonicalText::date);
                }
                if (type == YearMonth.class) {
                    return new Fast<>(YearMonth.class, (JsonDeserializer<YearMonth>) found, CanonicalText::month);
                }
                return found;
            }
        });
    }

    /** A string in the canonical form read directly; anything else by the wrapped deserializer. */
    private static final class Fast<T> extends StdDeserializer<T> implements ContextualDeserializer {

        private final JsonDeserializer<T> wrapped;
        private final java.util.function.Function<String, T> read;

        Fast(Class<T> type, JsonDeserializer<T> wrapped, java.util.function.Function<String, T> read) {
            super(type);
            this.wrapped = wrapped;
            this.read = read;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                T value = read.apply(parser.getText());
                if (value != null) {
                    return value;
                }
            }
            return wrapped.deserialize(parser, context);
        }

        @Override
        @SuppressWarnings("unchecked")
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
                throws JsonMappingException {
            if (!(wrapped instanceof ContextualDeserializer contextual)) {
                return this;
            }
            JsonDeserializer<T> forProperty = (JsonDeserializer<T>) contextual.createContextual(context, property);
            com.fasterxml.jackson.annotation.JsonFormat.Value format = findFormatOverrides(context, property,
                                                                                           handledType());
            if (format != null && format.hasPattern()) {
                // a property with a pattern of its own (@JsonFormat) is read only by the module, as configured
                return forProperty;
            }
            return forProperty == wrapped ? this : new Fast<>((Class<T>) handledType(), forProperty, read);
        }
    }
}
