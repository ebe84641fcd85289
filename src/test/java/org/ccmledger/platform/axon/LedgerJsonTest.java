package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The ledger's Jackson 2 mapper reads names without interning them, and reads what it wrote. */
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
}
