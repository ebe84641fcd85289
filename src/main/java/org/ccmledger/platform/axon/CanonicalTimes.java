package org.ccmledger.platform.axon;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;

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
 * nine digits or none), {@code 2024-03-04} and {@code 2024-03}, digit by digit instead of through {@code DateTimeFormatter}, which Jackson's
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
                    return new Fast<>(Instant.class, (JsonDeserializer<Instant>) found, CanonicalTimes::instant);
                }
                if (type == LocalDate.class) {
                    return new Fast<>(LocalDate.class, (JsonDeserializer<LocalDate>) found, CanonicalTimes::date);
                }
                if (type == YearMonth.class) {
                    return new Fast<>(YearMonth.class, (JsonDeserializer<YearMonth>) found, CanonicalTimes::month);
                }
                return found;
            }
        });
    }

    /** The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}; {@code null} for any other text or an invalid field. */
    static Instant instant(String text) {
        int length = text.length();
        if (length < 20 || length == 21 || length > 30 || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        LocalDate day = date(text.substring(0, 10));
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        // 24:00 and leap seconds (:60) are left to the formatter, which has its own rules for them
        if (day == null || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.') {
                return null;
            }
            int fraction = digits(text, 20, length - 21);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = length - 21; i < 9; i++) {
                nanos *= 10;
            }
        } else if (text.charAt(19) != 'Z') {
            return null;
        }
        return Instant.ofEpochSecond(day.toEpochDay() * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The date of {@code yyyy-MM-dd} (a year of four digits); {@code null} for any other text or no such day. */
    static LocalDate date(String text) {
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > YearMonth.of(year, month)
                                                                                            .lengthOfMonth()) {
            return null;
        }
        return LocalDate.of(year, month, day);
    }

    /** The month of {@code yyyy-MM} (a year of four digits); {@code null} for any other text or no such month. */
    static YearMonth month(String text) {
        if (text.length() != 7 || text.charAt(4) != '-') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        return year < 0 || month < 1 || month > 12 ? null : YearMonth.of(year, month);
    }

    /** The number written by {@code count} ASCII digits from {@code from}; -1 if any is not one. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
