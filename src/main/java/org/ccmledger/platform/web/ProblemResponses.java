package org.ccmledger.platform.web;

import java.net.URI;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
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
class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    @ExceptionHandler(Refusal.class)
    ResponseEntity<ProblemDetail> refusal(Refusal refusal) {
        HttpStatus status = switch (refusal.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case RULE -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, refusal.getMessage());
        problem.setType(URI.create("urn:ccm-ledger:problem:" + refusal.code()));
        problem.setTitle(refusal.code());
        problem.setProperty("code", refusal.code());
        if (refusal.rule() != null) {
            problem.setProperty("rule", refusal.rule());
        }
        return ResponseEntity.status(status).body(problem);
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(AggregateNotFoundException e) {
        return refusal(Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice"));
    }

    @ExceptionHandler(AggregateStreamCreationException.class)
    ResponseEntity<ProblemDetail> alreadyExists(AggregateStreamCreationException e) {
        return refusal(Refusal.conflict("ALREADY_EXISTS", "this record was created concurrently or already exists"));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> conflict(ConcurrencyException e) {
        return refusal(Refusal.conflict("CONCURRENT_MODIFICATION",
                                        "the record was changed concurrently or already exists; retry"));
    }

    @ExceptionHandler({CommandExecutionException.class, QueryExecutionException.class})
    ResponseEntity<ProblemDetail> wrapped(RuntimeException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Refusal refusal) {
            return refusal(refusal);
        }
        if (cause instanceof AggregateNotFoundException notFound) {
            return notFound(notFound);
        }
        if (cause instanceof ConcurrencyException concurrency) {
            return conflict(concurrency);
        }
        if (cause instanceof AggregateStreamCreationException exists) {
            return alreadyExists(exists);
        }
        return internal(e);
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException e) {
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
            return Mono.just(ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(
                    ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, "request body too large")));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, describe(ex));
        problem.setTitle("Malformed request");
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
    ResponseEntity<ProblemDetail> badArgument(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Malformed request value");
        return ResponseEntity.badRequest().body(problem);
    }

    private ResponseEntity<ProblemDetail> internal(Exception e) {
        log.error("Unhandled failure ({})", e.getClass().getName());
        return ResponseEntity.internalServerError().body(
                ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "internal error"));
    }
}
