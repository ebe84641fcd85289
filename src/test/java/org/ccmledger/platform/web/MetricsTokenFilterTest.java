package org.ccmledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import reactor.core.publisher.Mono;

/** The metrics endpoint can be made to require a scraper token; other paths are not affected. */
class MetricsTokenFilterTest {

    private static HttpStatus run(MetricsTokenFilter filter, MockServerHttpRequest request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        boolean[] passed = {false};
        filter.filter(exchange, e -> {
            passed[0] = true;
            return Mono.empty();
        }).block();
        return passed[0] ? HttpStatus.OK : HttpStatus.valueOf(exchange.getResponse().getStatusCode().value());
    }

    @Test
    @DisplayName("With ccm.metrics.token set, /actuator/prometheus needs it as a bearer token")
    void tokenRequiredWhenConfigured() {
        MetricsTokenFilter filter = new MetricsTokenFilter("s3cret");
        assertThat(run(filter, MockServerHttpRequest.get("/actuator/prometheus").build()))
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(run(filter, MockServerHttpRequest.get("/actuator/prometheus")
                                                    .header("Authorization", "Bearer wrong").build()))
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(run(filter, MockServerHttpRequest.get("/actuator/prometheus")
                                                    .header("Authorization", "Bearer s3cret").build()))
                .isEqualTo(HttpStatus.OK);
        assertThat(run(filter, MockServerHttpRequest.get("/actuator/health").build())).isEqualTo(HttpStatus.OK);
    }

    @Test
    @DisplayName("Without a token configured the endpoint stays open for a private-network scrape")
    void openWhenNotConfigured() {
        assertThat(run(new MetricsTokenFilter(""), MockServerHttpRequest.get("/actuator/prometheus").build()))
                .isEqualTo(HttpStatus.OK);
    }
}
