package org.ccmledger.platform.web;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Strict JSON for request bodies, beyond what application.yml sets (unknown fields, nulls for primitives, trailing
 * tokens): a key given twice is refused rather than the last one silently winning, and a fraction is never truncated
 * into a whole number ({@code "minutes": 19.9} is not 19). Numbers out of range for their field are refused by Jackson
 * already; so is a date-time whose year is not the four digits RFC 3339 allows ({@code +100000000-01-01T00:00:00Z}
 * was accepted, and once in the ledger no read model could store it as a date: the patients processor retried it for
 * ever). Each is a 400 problem that writes nothing.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictRequestJson() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                                 .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                                 .addModule(new SimpleModule("rfc3339-date-times")
                                                    .addDeserializer(OffsetDateTime.class, new Rfc3339DateTimes()));
    }

    /** An ISO-8601 date-time with an offset, its year between 0001 and 9999. */
    static final class Rfc3339DateTimes extends StdDeserializer<OffsetDateTime> {

        Rfc3339DateTimes() {
            super(OffsetDateTime.class);
        }

        @Override
        public OffsetDateTime deserialize(JsonParser parser, DeserializationContext context) {
            String text = parser.getValueAsString();
            if (text == null) {
                return (OffsetDateTime) context.handleUnexpectedToken(OffsetDateTime.class, parser);
            }
            try {
                OffsetDateTime value = OffsetDateTime.parse(text.strip());
                if (value.getYear() >= 1 && value.getYear() <= 9999) {
                    return value;
                }
            } catch (DateTimeParseException e) {
                // refused below, as a value out of range is
            }
            throw context.weirdStringException(text, OffsetDateTime.class,
                                               "not an RFC 3339 date-time with a four-digit year");
        }
    }
}
