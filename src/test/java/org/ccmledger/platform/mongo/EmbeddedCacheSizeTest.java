package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The embedded store's page cache: sized from the heap unless set, and bound from the service's settings. */
class EmbeddedCacheSizeTest {

    private static final long MB = 1024L * 1024;

    @Test
    @DisplayName("the page cache is an eighth of the heap, never under H2's 16 MB nor over 1,024 MB")
    void defaultFromTheHeap() {
        assertThat(MongoProperties.Embedded.defaultCacheSizeMb(4096 * MB)).isEqualTo(512);
        assertThat(MongoProperties.Embedded.defaultCacheSizeMb(64 * MB)).isEqualTo(16);
        assertThat(MongoProperties.Embedded.defaultCacheSizeMb(32768 * MB)).isEqualTo(1024);
        assertThat(new MongoProperties.Embedded("h2", null, null, null, null).cacheSizeMb())
                .isEqualTo(MongoProperties.Embedded.defaultCacheSizeMb(Runtime.getRuntime().maxMemory()));
    }

    @Test
    @DisplayName("ccm.mongo.embedded.cache-size-mb is bound as set; an empty one takes the default, zero is refused")
    void boundFromSettings() {
        assertThat(bind(Map.of("ccm.mongo.embedded.cache-size-mb", "64")).embedded().cacheSizeMb()).isEqualTo(64);
        assertThat(bind(Map.of("ccm.mongo.embedded.cache-size-mb", "", "ccm.mongo.embedded.backend", "h2"))
                           .embedded().cacheSizeMb())
                .isEqualTo(MongoProperties.Embedded.defaultCacheSizeMb(Runtime.getRuntime().maxMemory()));
        assertThat(bind(Map.of("ccm.mongo.embedded.force-to-disk", "false")).embedded().forceToDisk()).isFalse();
        assertThatThrownBy(() -> bind(Map.of("ccm.mongo.embedded.cache-size-mb", "0")))
                .isInstanceOf(BindException.class);
    }

    private static MongoProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("ccm.mongo", MongoProperties.class);
    }
}
