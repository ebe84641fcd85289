package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The ledger's Jackson 2 mappers read names without interning them and read what they wrote; the events' mapper
 * reads payloads from bytes with Jackson's byte parser.
 */
class LedgerJsonTest {

    private final ObjectMapper mapper = LedgerJson.mapper();

    @Test
    void mapKeysReadAreNotInternedAndReadBackEqual() throws Exception {
        String unique = "entry-" + System.nanoTime();
        // the pool's copy of the key: an interning reader would hand back this very instance
        String pooled = new String(unique.toCharArray()).intern();
        Map<String, Long> written = new TreeMap<>(Map.of(unique, 7L, "other-" + System.nanoTime(), 8L));

        Map<String, Long> read = mapper.readValue(mapper.writeValueAsString(Map.of("sequences", written)),
                                                  new TypeReference<Map<String, Map<String, Long>>>() {
                                                  }).get("sequences");

        assertThat(read).isEqualTo(written);
        String key = read.keySet().stream().filter(unique::equals).findFirst().orElseThrow();
        assertThat(key).isEqualTo(pooled).isNotSameAs(pooled);
    }

    @Test
    void eventsAreReadFromBytesByTheByteParserAndReadBackEqual() throws Exception {
        ObjectMapper events = LedgerJson.events();
        Map<String, Object> payload = new TreeMap<>(Map.of("patientId", "p-1", "minutes", 20,
                                                           "note", "caf\u00e9 \u2713"));
        byte[] bytes = events.writeValueAsBytes(payload);

        try (var parser = events.createParser(bytes)) {
            assertThat(parser).isInstanceOf(com.fasterxml.jackson.core.json.UTF8StreamJsonParser.class);
        }
        try (var parser = mapper.createParser(bytes)) {
            // the read-model mapper keeps no table of names, so Jackson decodes the bytes into characters first
            assertThat(parser).isInstanceOf(com.fasterxml.jackson.core.json.ReaderBasedJsonParser.class);
        }
        assertThat(events.readValue(bytes, new TypeReference<Map<String, Object>>() {
        })).isEqualTo(payload);
    }

    @Test
    void eventNamesAreNotInterned() throws Exception {
        ObjectMapper events = LedgerJson.events();
        String unique = "field-" + System.nanoTime();
        String pooled = new String(unique.toCharArray()).intern();

        Map<String, Integer> read = events.readValue(events.writeValueAsBytes(Map.of(unique, 1)),
                                                       new TypeReference<Map<String, Integer>>() {
                                                       });

        assertThat(read.keySet().iterator().next()).isEqualTo(pooled).isNotSameAs(pooled);
    }
}
