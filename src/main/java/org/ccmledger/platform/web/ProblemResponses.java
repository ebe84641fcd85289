package org.ccmledger.platform.web;

import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import java.nio.charset.StandardCharsets;
import java.net.URI;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.ccmledger.ledger.LedgerIntegrityException;
import org.axonframework.queryhandling.QueryExecutionException;
import org.ccmledger.platform.problem.Refusal;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

import reactor.core.publisher.Mono;

/**
 * Turns every failure into an RFC 9457 problem response: 400 malformed input, 404 unknown patient or entry, 409 a
 * concurrent or duplicate write, 413 a body over the limit, 422 a rule refused it (with the rule id in
 * {@code rule}). Which problem answers which failure is {@link Problems}'; this class answers it, with the request's
 * id as the instance.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    /**
     * The problem's {@code instance}: the request's id, never its path, which names the patient (WebFlux would
     * otherwise fill in the path).
     */
    static URI instance(ServerWebExchange exchange) {
        return URI.create("urn:ccm-ledger:request:" + exchange.getRequest().getId());
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, Object body,
                                                                  org.springframework.http.HttpHeaders headers,
                                                                  org.springframework.http.HttpStatusCode status,
                                                                  ServerWebExchange exchange) {
        // the body is usually built by super from the exception, so the instance is set on what it returns
        return super.handleExceptionInternal(ex, body, headers, status, exchange).map(response -> {
            if (response.getBody() instanceof ProblemDetail problem) {
                problem.setInstance(instance(exchange));
            }
            return response;
        });
    }

    /** The problem as an answer to this request: its status, and the request's id as its instance. */
    private static ResponseEntity<ProblemDetail> answer(ProblemDetail problem, ServerWebExchange exchange) {
        problem.setInstance(instance(exchange));
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    @ExceptionHandler(Refusal.class)
    ResponseEntity<ProblemDetail> refusal(Refusal refusal, ServerWebExchange exchange) {
        return answer(Problems.of(refusal), exchange);
    }

    @ExceptionHandler({AggregateNotFoundException.class, AggregateStreamCreationException.class,
                       ConcurrencyException.class})
    ResponseEntity<ProblemDetail> axon(Exception e, ServerWebExchange exchange) {
        return answer(Problems.axon(e), exchange);
    }

    @ExceptionHandler(LedgerIntegrityException.class)
    ResponseEntity<ProblemDetail> integrity(LedgerIntegrityException e, ServerWebExchange exchange) {
        return answer(Problems.integrity(e), exchange);
    }

    @ExceptionHandler({CommandExecutionException.class, QueryExecutionException.class})
    ResponseEntity<ProblemDetail> wrapped(RuntimeException e, ServerWebExchange exchange) {
        return answer(Problems.wrapped(e), exchange);
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException e, ServerWebExchange exchange) {
        return answer(Problems.tooLarge(), exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
                                                                         org.springframework.http.HttpHeaders headers,
                                                                         org.springframework.http.HttpStatusCode status,
                                                                         ServerWebExchange exchange) {
        ResponseEntity<ProblemDetail> problem = answer(Problems.malformed(ex), exchange);
        return Mono.just(ResponseEntity.status(problem.getStatusCode()).body(problem.getBody()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badArgument(IllegalArgumentException e, ServerWebExchange exchange) {
        return answer(Problems.badArgument(), exchange);
    }

    /**
     * Anything else, which no handler above maps: a 500 problem naming nothing, logged by exception class only. Left
     * to WebFlux's default error handler it would answer with the request path, which names the patient, and log it.
     */
    @ExceptionHandler(Exception.class)
    Mono<ResponseEntity<Object>> unexpected(Exception e, ServerWebExchange exchange) {
        if (e instanceof org.springframework.web.ErrorResponse) {
            return handleException(e, exchange);
        }
        LedgerIntegrityException integrity = null;
        for (Throwable t = e.getCause(); t != null && integrity == null; t = t.getCause()) {
            integrity = t instanceof LedgerIntegrityException found ? found : null;
        }
        ProblemDetail problem = integrity != null ? Problems.integrity(integrity) : Problems.internal(e);
        ResponseEntity<ProblemDetail> answered = answer(problem, exchange);
        return Mono.just(ResponseEntity.status(answered.getStatusCode()).body(answered.getBody()));
    }

    /**
     * Writes a problem response from a web filter, where no controller advice applies: the same fields as the
     * problems the handlers answer, without an instance.
     */
    public static Mono<Void> write(ServerHttpResponse response, HttpStatus status, String detail) {
        return write(response, status, detail, null);
    }

    /**
     * {@link #write(ServerHttpResponse, HttpStatus, String)} with the problem's {@code code} (none when {@code null}):
     * as in a refusal's problem ({@link Problems}), the code is also the title and the last part of the type.
     */
    public static Mono<Void> write(ServerHttpResponse response, HttpStatus status, String detail, String code) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(
                json(status.value(), code == null ? status.getReasonPhrase() : code, detail, code))));
    }

    /** A problem without an instance, for a fixed title and detail (never request data: nothing is escaped). */
    static byte[] json(int status, String title, String detail) {
        return json(status, title, detail, null);
    }

    private static byte[] json(int status, String title, String detail, String code) {
        String type = code == null ? "about:blank" : "urn:ccm-ledger:problem:" + code;
        return ("{\"type\":\"" + type + "\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                + detail + "\"" + (code == null ? "" : ",\"code\":\"" + code + "\"") + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
