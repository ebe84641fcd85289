package org.ccmledger.platform.axon;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The ledger's Jackson 2 mappers (Spring Boot 4 itself only brings Jackson 3). Dates are written as ISO-8601 text so
 * that stored payloads read plainly; objects are read and written through their fields. Names read are never
 * {@code String.intern}ed (Jackson 2's default, which Jackson 3 dropped).
 * <ul>
 * <li>{@link #events()}: what Axon's event serializer reads and writes, event payloads and their metadata, whose field
 * names are those the event classes declare (a practice profile's location ids and NPIs, a few hundred in a rare
 * event, are the exception). Names read are kept in Jackson's table of names seen, so a payload read from bytes goes
 * through Jackson's byte parser, which finds each name in the table without making a string of it. Without the table
 * Jackson decodes the bytes into characters first and parses those, making a string of every name, and every
 * processor reads every payload.</li>
 * <li>{@link #mapper()}: everything else, read-model documents that hold event-derived state and Axon's other
 * messages, snapshots and tokens, whose maps are keyed by ids unique to each patient (a billing record's streams, an
 * enrollment snapshot's time entries). Their names are not kept in the table: a parser that meets a name the table
 * lacks copies the whole table first (up to 12,000 names), so every billing record read copied it (3 % of what an
 * import allocated); and interning each of them was a twelfth of reading a practice's month.</li>
 * </ul>
 */
public final class LedgerJson {

    private LedgerJson() {
    }

    /** For read-model documents, messages, snapshots, tokens: names read neither interned nor kept in the table. */
    public static ObjectMapper mapper() {
        return configure(JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                                 .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());
    }

    /** For events: names read are kept in Jackson's table of names seen, not interned. */
    public static ObjectMapper events() {
        return configure(JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                                 .enable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());
    }

    private static ObjectMapper configure(JsonFactory factory) {
        return new ObjectMapper(factory)
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
