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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
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
 * {@code rule}). Problems name codes, rules and fields, never patient data.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    /**
     * The problem's {@code instance}: the request's id, never its path, which names the patient (WebFlux would
     * otherwise fill in the path).
     */
    private static ResponseEntity<ProblemDetail> anonymous(ResponseEntity<ProblemDetail> response,
                                                           ServerWebExchange exchange) {
        if (response.getBody() != null) {
            response.getBody().setInstance(instance(exchange));
        }
        return response;
    }

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

    @ExceptionHandler(Refusal.class)
    ResponseEntity<ProblemDetail> refusal(Refusal refusal, ServerWebExchange exchange) {
        return anonymous(refusal(refusal), exchange);
    }

    /** The HTTP status a refusal of this kind answers with, for the API and the console alike. */
    public static HttpStatus status(Refusal.Kind kind) {
        return switch (kind) {
            case MALFORMED -> HttpStatus.BAD_REQUEST;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case RULE -> HttpStatus.UNPROCESSABLE_CONTENT;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }

    ResponseEntity<ProblemDetail> refusal(Refusal refusal) {
        HttpStatus status = status(refusal.kind());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, refusal.getMessage());
        problem.setType(URI.create("urn:ccm-ledger:problem:" + refusal.code()));
        problem.setTitle(refusal.code());
        problem.setProperty("code", refusal.code());
        if (refusal.rule() != null) {
            problem.setProperty("rule", refusal.rule());
        }
        refusal.details().forEach(problem::setProperty);
        return ResponseEntity.status(status).body(problem);
    }

    /**
     * The problem the API would answer for this failure of a command or query, for work that reports per item rather
     * than per request (an import's lines): a refusal with its code and rule, a malformed value, a conflict, or a
     * bare 500 naming nothing.
     */
    public ProblemDetail problemFor(Throwable failure) {
        Throwable e = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (e instanceof Refusal refusal) {
            return refusal(refusal).getBody();
        }
        if (e instanceof ServerWebInputException input) {
            for (Throwable t = input; t != null; t = t.getCause()) {
                if (t instanceof Refusal refusal) {
                    return refusal(refusal).getBody();
                }
            }
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, describe(input));
            problem.setTitle("Malformed request");
            return problem;
        }
        if (e instanceof IllegalArgumentException bad) {
            return badArgumentBody(bad).getBody();
        }
        if (e instanceof AggregateNotFoundException notFound) {
            return notFoundBody(notFound).getBody();
        }
        if (e instanceof ConcurrencyException concurrency) {
            return conflictBody(concurrency).getBody();
        }
        if (e instanceof AggregateStreamCreationException exists) {
            return alreadyExistsBody(exists).getBody();
        }
        if (e instanceof LedgerIntegrityException integrity) {
            return integrityBody(integrity).getBody();
        }
        if (e instanceof CommandExecutionException || e instanceof QueryExecutionException) {
            return wrappedBody((RuntimeException) e).getBody();
        }
        return internal(e instanceof Exception exception ? exception : new RuntimeException(e)).getBody();
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(AggregateNotFoundException e, ServerWebExchange exchange) {
        return anonymous(notFoundBody(e), exchange);
    }

    private ResponseEntity<ProblemDetail> notFoundBody(AggregateNotFoundException e) {
        return refusal(Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice"));
    }

    @ExceptionHandler(AggregateStreamCreationException.class)
    ResponseEntity<ProblemDetail> alreadyExists(AggregateStreamCreationException e, ServerWebExchange exchange) {
        return anonymous(alreadyExistsBody(e), exchange);
    }

    private ResponseEntity<ProblemDetail> alreadyExistsBody(AggregateStreamCreationException e) {
        return refusal(Refusal.conflict("ALREADY_EXISTS", "this record was created concurrently or already exists"));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> conflict(ConcurrencyException e, ServerWebExchange exchange) {
        return anonymous(conflictBody(e), exchange);
    }

    private ResponseEntity<ProblemDetail> conflictBody(ConcurrencyException e) {
        return refusal(Refusal.conflict("CONCURRENT_MODIFICATION",
                                        "the record was changed concurrently or already exists; retry"));
    }

    @ExceptionHandler(LedgerIntegrityException.class)
    ResponseEntity<ProblemDetail> integrity(LedgerIntegrityException e, ServerWebExchange exchange) {
        return anonymous(integrityBody(e), exchange);
    }

    /**
     * 503 {@code LEDGER_INTEGRITY}: an event the answer needs failed verification on read, so nothing was done with
     * it. Names the global index for an operator to run the verifier on; the request may succeed once it verifies.
     */
    private ResponseEntity<ProblemDetail> integrityBody(LedgerIntegrityException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE, "an event of the ledger at global index " + e.globalIndex()
                        + " failed verification (" + e.problem() + "): nothing was done with it");
        problem.setType(URI.create("urn:ccm-ledger:problem:LEDGER_INTEGRITY"));
        problem.setTitle("LEDGER_INTEGRITY");
        problem.setProperty("code", "LEDGER_INTEGRITY");
        problem.setProperty("globalIndex", e.globalIndex());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
    }

    @ExceptionHandler({CommandExecutionException.class, QueryExecutionException.class})
    ResponseEntity<ProblemDetail> wrapped(RuntimeException e, ServerWebExchange exchange) {
        return anonymous(wrappedBody(e), exchange);
    }

    private ResponseEntity<ProblemDetail> wrappedBody(RuntimeException e) {
        Throwable cause = e.getCause();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof LedgerIntegrityException integrity) {
                return integrityBody(integrity);
            }
        }
        if (cause instanceof Refusal refusal) {
            return refusal(refusal);
        }
        if (cause instanceof AggregateNotFoundException notFound) {
            return notFoundBody(notFound);
        }
        if (cause instanceof ConcurrencyException concurrency) {
            return conflictBody(concurrency);
        }
        if (cause instanceof AggregateStreamCreationException exists) {
            return alreadyExistsBody(exists);
        }
        return internal(e);
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException e, ServerWebExchange exchange) {
        return anonymous(tooLargeBody(e), exchange);
    }

    private ResponseEntity<ProblemDetail> tooLargeBody(DataBufferLimitException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                             .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                                                                    "request body too large"));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
                                                                         org.springframework.http.HttpHeaders headers,
                                                                         org.springframework.http.HttpStatusCode status,
                                                                         ServerWebExchange exchange) {
        if (causedBy(ex, DataBufferLimitException.class)) {
            ProblemDetail tooLarge = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                                                                      "request body too large");
            tooLarge.setInstance(instance(exchange));
            return Mono.just(ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge));
        }
        // a value a record of the request refused while it was read (a field's own check): that refusal, by name
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof Refusal refusal) {
                ResponseEntity<ProblemDetail> refused = refusal(refusal);
                refused.getBody().setInstance(instance(exchange));
                return Mono.just(ResponseEntity.status(refused.getStatusCode()).body(refused.getBody()));
            }
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, describe(ex));
        problem.setTitle("Malformed request");
        problem.setInstance(instance(exchange));
        return Mono.just(ResponseEntity.badRequest().body(problem));
    }

    private static String describe(ServerWebInputException ex) {
        if (causedBy(ex, DecodingException.class)) {
            return "The request body is not valid JSON for this endpoint (malformed, wrong type, unknown field "
                    + "or unknown value)";
        }
        return ex.getReason() == null ? "Malformed request" : ex.getReason();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badArgument(IllegalArgumentException e, ServerWebExchange exchange) {
        return anonymous(badArgumentBody(e), exchange);
    }

    private ResponseEntity<ProblemDetail> badArgumentBody(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Malformed request value");
        return ResponseEntity.badRequest().body(problem);
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
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof LedgerIntegrityException integrity) {
                ResponseEntity<ProblemDetail> problem = anonymous(integrityBody(integrity), exchange);
                return Mono.just(ResponseEntity.status(problem.getStatusCode()).body(problem.getBody()));
            }
        }
        ResponseEntity<ProblemDetail> problem = anonymous(internal(e), exchange);
        return Mono.just(ResponseEntity.status(problem.getStatusCode()).body(problem.getBody()));
    }

    private ResponseEntity<ProblemDetail> internal(Exception e) {
        log.error("Unhandled failure ({})", e.getClass().getName());
        return ResponseEntity.internalServerError().body(
                ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "internal error"));
    }

    /**
     * Writes a problem response from a web filter, where no controller advice applies: the same fields as the
     * problems the handlers answer, without an instance.
     */
    public static Mono<Void> write(ServerHttpResponse response, HttpStatus status, String detail) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(json(status.value(), status.getReasonPhrase(),
                                                                               detail))));
    }

    /** A problem without an instance, for a fixed title and detail (never request data: nothing is escaped). */
    static byte[] json(int status, String title, String detail) {
        return ("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                + detail + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
