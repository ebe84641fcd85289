package org.ccmledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.ccmledger.ledger.DurableWithAnswer;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.platform.security.Caller;
import org.ccmledger.platform.security.ConsoleAuthentication;
import org.ccmledger.platform.security.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A request with an {@code Idempotency-Key} waits for one commit, not two: its answer is recorded with a journaled
 * write before it goes out, so the commands it sends append their events without a commit of their own
 * ({@link DurableWithAnswer}); the record's commit makes them durable with it. Without a key, every append waits for
 * its own commit.
 */
class IdempotentAnswerDurabilityTest {

    private static final Caller CALLER = new Caller("nurse-1", Set.of(Role.CARE_STAFF), Set.of("p1"));

    private final LedgerFixture store = LedgerFixture.inMemory();
    private final IdempotencyFilter filter = new IdempotencyFilter(new IdempotencyStore(store.database()));
    /** Whether each command was sent with its appends left to the answer's commit. */
    private final List<Boolean> answeredFirst = new CopyOnWriteArrayList<>();
    private final CommandSender sender = new CommandSender(recordingGateway(), null);
    private int chainRuns;

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aCommandSentUnderAKeyLeavesItsAppendToTheAnswersCommitAndTheAnswerIsRecordedBeforeItGoesOut() {
        MockServerWebExchange first = exchange("key-1");
        filter.filter(first, sendingCommand()).contextWrite(signedIn()).block();

        assertThat(answeredFirst).containsExactly(true);
        assertThat(first.getResponse().getStatusCode()).isEqualTo(HttpStatus.CREATED);
        MockServerWebExchange repeat = exchange("key-1");
        filter.filter(repeat, sendingCommand()).contextWrite(signedIn()).block();
        assertThat(chainRuns).isOne();
        assertThat(repeat.getResponse().getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(repeat.getResponse().getBodyAsString().block()).isEqualTo("{\"sent\":true}");
    }

    @Test
    void aCommandSentWithoutAKeyWaitsForItsOwnCommit() {
        MockServerWebExchange exchange = exchange(null);
        filter.filter(exchange, sendingCommand()).contextWrite(signedIn()).block();

        assertThat(answeredFirst).containsExactly(false);
        assertThat(DurableWithAnswer.active()).isFalse();
    }

    /** A streamed answer cannot be kept: the key is released (a journaled write) before the first byte goes out. */
    @Test
    void aStreamedAnswerReleasesTheKeyBeforeItsFirstByte() {
        WebFilterChain streaming = exchange -> sender.send("a command", exchange.getRequest())
                .then(exchange.getResponse().writeAndFlushWith(Flux.just(Flux.just(
                        exchange.getResponse().bufferFactory().wrap("line\n".getBytes(StandardCharsets.UTF_8))))))
                .doFirst(() -> chainRuns++);
        filter.filter(exchange("key-2"), streaming).contextWrite(signedIn()).block();
        filter.filter(exchange("key-2"), streaming).contextWrite(signedIn()).block();

        assertThat(chainRuns).isEqualTo(2);
        assertThat(answeredFirst).containsExactly(true, true);
    }

    private WebFilterChain sendingCommand() {
        return exchange -> {
            chainRuns++;
            return sender.send("a command", exchange.getRequest()).then(Mono.defer(() -> {
                exchange.getResponse().setStatusCode(HttpStatus.CREATED);
                return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory()
                        .wrap("{\"sent\":true}".getBytes(StandardCharsets.UTF_8))));
            }));
        };
    }

    private static MockServerWebExchange exchange(String key) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest
                .post("/api/v1/practices/p1/patients/pt-1/consents");
        if (key != null) {
            request.header(IdempotencyFilter.HEADER, key);
        }
        return MockServerWebExchange.builder(((MockServerHttpRequest.BodyBuilder) request).body("{\"a\":1}"))
                                    .principal(ConsoleAuthentication.development(CALLER)).build();
    }

    private static reactor.util.context.Context signedIn() {
        return ReactiveSecurityContextHolder.withAuthentication(ConsoleAuthentication.development(CALLER));
    }

    /** A gateway that notes, for each command, whether its appends were left to the answer's commit. */
    private CommandGateway recordingGateway() {
        return (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {CommandGateway.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait")) {
                        answeredFirst.add(DurableWithAnswer.active());
                        return "done";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

}
