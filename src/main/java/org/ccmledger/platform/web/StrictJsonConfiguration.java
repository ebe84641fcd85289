package org.ccmledger.platform.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;

/**
 * Strict JSON for request bodies, beyond what application.yml sets (unknown fields, nulls for primitives, trailing
 * tokens): a key given twice is refused rather than the last one silently winning, and a fraction is never truncated
 * into a whole number ({@code "minutes": 19.9} is not 19). Numbers out of range for their field are refused by Jackson
 * already. Each is a 400 problem that writes nothing.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictRequestJson() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                                 .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }
}
