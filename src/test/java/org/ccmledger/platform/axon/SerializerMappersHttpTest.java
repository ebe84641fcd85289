package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.ccmledger.support.HttpTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.ReaderBasedJsonParser;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;

/**
 * The running service reads event payloads with Jackson's byte parser, and snapshots (an enrollment's time entries
 * keyed by entry id) and other messages without keeping their names ({@link LedgerJson}).
 */
class SerializerMappersHttpTest extends HttpTestBase {

    @Autowired
    @Qualifier("eventSerializer")
    Serializer events;
    @Autowired
    Serializer general;

    @Test
    void eventsAreParsedAsBytesAndSnapshotsKeepNoNames() throws Exception {
        byte[] json = "{\"entryId\":\"e-1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        JsonFactory eventJson = ((JacksonSerializer) events).getObjectMapper().getFactory();
        JsonFactory generalJson = ((JacksonSerializer) general).getObjectMapper().getFactory();

        try (var parser = eventJson.createParser(json)) {
            assertThat(parser).isInstanceOf(UTF8StreamJsonParser.class);
        }
        try (var parser = generalJson.createParser(json)) {
            assertThat(parser).isInstanceOf(ReaderBasedJsonParser.class);
        }
        assertThat(generalJson.isEnabled(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)).isFalse();
    }
}
