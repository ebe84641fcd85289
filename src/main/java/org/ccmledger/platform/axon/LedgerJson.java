package org.ccmledger.platform.axon;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The Jackson 2 mapper Axon's {@code JacksonSerializer} uses for events, messages, snapshots and tokens (Spring Boot 4
 * itself only brings Jackson 3), also used for read-model documents that hold event-derived state. Dates are written
 * as ISO-8601 text so that stored payloads read plainly; objects are read and written through their fields. Names
 * read are not {@code String.intern}ed (Jackson 2's default, which Jackson 3 dropped): read-model documents hold maps
 * keyed by ids unique to each patient, and interning each of them was a twelfth of reading a practice's month. Nor
 * are they kept in Jackson's table of names seen: a parser that meets a name the table lacks copies the whole table
 * first (up to 12,000 names), so every billing record read copied it (3 % of what an import allocated).
 */
public final class LedgerJson {

    private LedgerJson() {
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper(JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                                                  .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build())
                .registerModule(new JavaTimeModule())
                // after the module it speeds up: the service's own ISO-8601 text read without DateTimeFormatter
                .registerModule(new CanonicalTimes())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // aggregate snapshots are serialized from their fields, which stay private
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);
    }
}
