package org.ccmledger.console;

import org.springframework.web.reactive.result.view.Rendering;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Pages are rendered off the Netty event loop: Thymeleaf reads its templates (and, the first time, its own
 * configuration) from the class path, and Spring Security masks the page's CSRF token with a SecureRandom, both of
 * which block. A handler hands its page (or redirect) over here last; the view is rendered on the thread that
 * delivers it.
 */
final class Pages {

    private Pages() {
    }

    static Mono<Rendering> rendered(Mono<Rendering> page) {
        return page.publishOn(Schedulers.boundedElastic());
    }

    static Mono<Rendering> rendered(Rendering page) {
        return rendered(Mono.just(page));
    }
}
