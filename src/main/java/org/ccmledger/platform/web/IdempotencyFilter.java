package org.ccmledger.platform.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ccmledger.platform.security.Caller;
import org.ccmledger.platform.security.Callers;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Honours the {@code Idempotency-Key} header on every POST of the API: a request repeated with the same key gets the
 * first response again and writes nothing new, also after a restart (the record is in MongoDB). A key belongs to its
 * practice and its user (from the verified token): another user's same key is another request. The same key with a
 * different method, path or body is a 422; while the first request still runs, a repeat is a 409. Server
 * errors, 404 and 409 are not remembered, so the key can be retried. The onboarding import ({@code POST …/import})
 * takes no key: each of its lines carries its own id.
 */
@Component
class IdempotencyFilter implements WebFilter {

    static final String HEADER = "Idempotency-Key";
    /**
     * In the Reactor context of a request this filter runs: its answer is recorded with a journaled write (or its key
     * released with one) before any of the answer goes out, so the commands it sends need no commit of their own
     * ({@link CommandSender#send}).
     */
    static final String ANSWER_RECORDED = IdempotencyFilter.class.getName() + ".answerRecorded";
    private static final Pattern PRACTICE_PATH = Pattern.compile("^/api/v1/practices/([^/]+)/.*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final int MAX_BODY = 64 * 1024;

    private final IdempotencyStore store;

    IdempotencyFilter(IdempotencyStore store) {
        this.store = store;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String key = request.getHeaders().getFirst(HEADER);
        Matcher practice = PRACTICE_PATH.matcher(request.getPath().value());
        // an onboarding import is idempotent per line (each line's id) and streams its report: no key applies
        if (key == null || request.getMethod() != HttpMethod.POST || !practice.matches()
                || request.getPath().value().endsWith("/import")) {
            return chain.filter(exchange);
        }
        if (!KEY.matcher(key).matches()) {
            return ProblemResponses.write(exchange.getResponse(), HttpStatus.BAD_REQUEST,
                           "Idempotency-Key must be 1-128 letters, digits or ._:-");
        }
        Mono<String> user = exchange.getPrincipal().flatMap(Callers::of).map(Caller::user).defaultIfEmpty("");
        // a key is its user's: another user's request with the same key is a request of its own
        return user.flatMap(actor -> claim(practice.group(1) + ":" + actor + ":" + key, actor, exchange, chain));
    }

    private Mono<Void> claim(String id, String actor, ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        return DataBufferUtils.join(request.getBody(), MAX_BODY)
                              .map(IdempotencyFilter::bytes)
                              .defaultIfEmpty(new byte[0])
                              .flatMap(body -> Mono.fromCallable(() -> store.claim(id, hash(request, actor, body)))
                                                   .subscribeOn(Schedulers.boundedElastic())
                                                   .flatMap(decision -> decide(decision, id, body, exchange, chain)))
                              .onErrorResume(DataBufferLimitException.class,
                                             e -> ProblemResponses.write(exchange.getResponse(),
                                                                                         HttpStatus.CONTENT_TOO_LARGE,
                                                                                         "request body too large"));
    }

    private Mono<Void> decide(IdempotencyStore.Decision decision, String id, byte[] body, ServerWebExchange exchange,
                              WebFilterChain chain) {
        ServerHttpResponse response = exchange.getResponse();
        if (decision instanceof IdempotencyStore.Replay replay) {
            response.setStatusCode(HttpStatus.valueOf(replay.status()));
            if (replay.contentType() != null) {
                response.getHeaders().set(HttpHeaders.CONTENT_TYPE, replay.contentType());
            }
            if (replay.location() != null) {
                response.getHeaders().set(HttpHeaders.LOCATION, replay.location());
            }
            response.getHeaders().set("Idempotent-Replayed", "true");
            return response.writeWith(Mono.just(response.bufferFactory().wrap(replay.body())));
        }
        if (decision instanceof IdempotencyStore.Mismatch) {
            return ProblemResponses.write(response, HttpStatus.UNPROCESSABLE_CONTENT,
                           "This Idempotency-Key was used with a different request");
        }
        if (decision instanceof IdempotencyStore.InProgress) {
            return ProblemResponses.write(response, HttpStatus.CONFLICT, "A request with this Idempotency-Key is still running");
        }
        Recording recording = new Recording(response, id);
        ServerHttpRequest replayedBody = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body));
            }
        };
        return chain.filter(exchange.mutate().request(replayedBody).response(recording).build())
                    .contextWrite(context -> context.put(ANSWER_RECORDED, Boolean.TRUE));
    }

    /** Passes the response through and, once written, remembers it for the key. */
    private final class Recording extends ServerHttpResponseDecorator {
        private final String id;

        Recording(ServerHttpResponse delegate, String id) {
            super(delegate);
            this.id = id;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            return DataBufferUtils.join(Flux.from(body)).flatMap(joined -> {
                byte[] bytes = bytes(joined);
                return remember(bytes).then(getDelegate().writeWith(Mono.just(bufferFactory().wrap(bytes))));
            });
        }

        @Override
        public Mono<Void> setComplete() {
            return remember(new byte[0]).then(getDelegate().setComplete());
        }

        /**
         * A streamed answer is not kept (the key is released, so a repeat runs again), but the release is a
         * journaled write made before the first byte, as {@link #ANSWER_RECORDED} promises.
         */
        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return Mono.fromRunnable(() -> store.release(id)).subscribeOn(Schedulers.boundedElastic())
                       .then(getDelegate().writeAndFlushWith(body));
        }

        /**
         * Remembers a final answer. Server errors, 404 and 409 are not final (a read model catching up, a
         * concurrent write to retry): the key is released, and a repeat runs again; commands whose repeat could
         * write twice are guarded by their own ids (an entry id derived from the key, see CareMinutesController).
         */
        private Mono<Void> remember(byte[] bytes) {
            int status = getStatusCode() == null ? 200 : getStatusCode().value();
            MediaType type = getHeaders().getContentType();
            String location = getHeaders().getFirst(HttpHeaders.LOCATION);
            return Mono.fromRunnable(() -> {
                if (status >= 500 || status == 404 || status == 409) {
                    store.release(id);
                } else {
                    store.complete(id, status, type == null ? null : type.toString(), location, bytes);
                }
            }).subscribeOn(Schedulers.boundedElastic()).then();
        }
    }

    private static byte[] bytes(DataBuffer buffer) {
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        DataBufferUtils.release(buffer);
        return bytes;
    }

    private static String hash(ServerHttpRequest request, String actor, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.getMethod().name() + " " + request.getPath().value() + "\n"
                                   + actor + "\n")
                                  .getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
