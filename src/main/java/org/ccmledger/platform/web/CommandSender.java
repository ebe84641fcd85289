package org.ccmledger.platform.web;

import java.util.Map;
import java.util.concurrent.Callable;

import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.queryhandling.QueryGateway;
import org.ccmledger.ledger.DurableWithAnswer;
import org.ccmledger.platform.ids.RandomIds;
import org.ccmledger.platform.security.Callers;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends commands and queries from HTTP handlers without blocking the event loop: Axon's simple command bus and the
 * MongoDB sync driver block, so the work runs on Reactor's bounded elastic scheduler. Every command carries the
 * acting user (from the request's verified token, never from its body or a header) and the request's correlation id
 * ({@code X-Request-Id}, generated when absent) as metadata, which Axon copies onto every event it causes.
 */
@Component
public class CommandSender {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._@:-]{1,128}");

    private final CommandGateway commands;
    private final QueryGateway queries;

    CommandSender(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    /**
     * The metadata a command sent on behalf of this request carries: the acting user from the verified token and the
     * correlation id. For services that send several commands for one request.
     */
    public Mono<MetaData> metaData(ServerHttpRequest request) {
        return Callers.current().map(caller -> MetaData.from(Map.of("actor", caller.user(),
                                                                    "requestId", requestId(request))));
    }

    /**
     * Sends a command on behalf of the request's caller and completes with the handler's result. Within a request
     * whose answer is recorded by a journaled write before it goes out ({@link IdempotencyFilter#ANSWER_RECORDED}),
     * the command's events are appended without a commit of their own: the record's commit makes them durable with
     * it ({@link DurableWithAnswer}).
     */
    public <R> Mono<R> send(Object command, ServerHttpRequest request) {
        return metaData(request).flatMap(metaData -> Mono.deferContextual(context -> Mono.fromCallable(() -> {
                    Callable<R> send = () -> commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                                                                                       .andMetaData(metaData));
                    return context.hasKey(IdempotencyFilter.ANSWER_RECORDED) ? DurableWithAnswer.call(send)
                            : send.call();
                }).subscribeOn(Schedulers.boundedElastic())))
                                .onErrorMap(CompletionException.class,
                                            e -> e.getCause() == null ? e : e.getCause());
    }

    /** Sends a command and answers 201 Created with the given body once it is in the ledger. */
    public Mono<ResponseEntity<Map<String, String>>> created(Object command, ServerHttpRequest request,
                                                            Map<String, String> body) {
        return send(command, request).thenReturn(ResponseEntity.status(HttpStatus.CREATED).body(body));
    }

    /** A query whose handler answers a list of {@code resultType}. */
    public <R> Mono<java.util.List<R>> queryList(Object query, Class<R> resultType) {
        return Mono.fromFuture(() -> queries.query(query,
                                                   org.axonframework.messaging.responsetypes.ResponseTypes
                                                           .multipleInstancesOf(resultType)))
                   .subscribeOn(Schedulers.boundedElastic())
                   .onErrorMap(CompletionException.class, e -> e.getCause() == null ? e : e.getCause());
    }

    /** Runs a query and completes with its single result. */
    public <R> Mono<R> query(Object query, Class<R> resultType) {
        return Mono.fromFuture(() -> queries.query(query, resultType))
                   .subscribeOn(Schedulers.boundedElastic())
                   .onErrorMap(CompletionException.class, e -> e.getCause() == null ? e : e.getCause());
    }

    private static String requestId(ServerHttpRequest request) {
        String id = request.getHeaders().getFirst(REQUEST_ID_HEADER);
        return id != null && TOKEN.matcher(id).matches() ? id : RandomIds.uuid().toString();
    }
}
