package org.ccmledger.platform.web;

import java.util.concurrent.Callable;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Blocking work (the sync driver, the command bus) moved off the event loop, for the reactive controllers. */
public final class Blocking {

    private Blocking() {
    }

    /** {@code work} run on Reactor's bounded elastic scheduler when subscribed. */
    public static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
