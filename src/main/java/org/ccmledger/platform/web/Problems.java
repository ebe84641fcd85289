package org.ccmledger.platform.web;

import java.net.URI;
import java.util.concurrent.CompletionException;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.queryhandling.QueryExecutionException;
import org.ccmledger.ledger.LedgerIntegrityException;
import org.ccmledger.platform.problem.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebInputException;

/**
 * Which RFC 9457 problem answers which failure, in one place: for the API's responses ({@link ProblemResponses}),
 * the console's pages and work that reports per item (an import's lines). 400 malformed, 404 unknown, 409 conflict,
 * 413 too large, 422 a rule refused (with {@code rule}), 503 a ledger event failed verification, 500 anything else
 * (logged by exception class only). Problems name codes, rules and fields, never patient data; none has an
 * {@code instance}, which only an HTTP answer knows.
 */
public final class Problems {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    private Problems() {
    }

    /** The problem for any failure of a command, query or request, as the API would answer it. */
    public static ProblemDetail of(Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (e instanceof Refusal refusal) {
            return of(refusal);
        }
        if (e instanceof ServerWebInputException input) {
            return malformed(input);
        }
        if (e instanceof DataBufferLimitException) {
            return tooLarge();
        }
        if (e instanceof IllegalArgumentException) {
            return badArgument();
        }
        if (e instanceof LedgerIntegrityException integrity) {
            return integrity(integrity);
        }
        if (e instanceof CommandExecutionException || e instanceof QueryExecutionException) {
            return wrapped(e);
        }
        ProblemDetail known = axon(e);
        return known != null ? known : internal(e);
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

    static ProblemDetail of(Refusal refusal) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status(refusal.kind()), refusal.getMessage());
        problem.setType(URI.create("urn:ccm-ledger:problem:" + refusal.code()));
        problem.setTitle(refusal.code());
        problem.setProperty("code", refusal.code());
        if (refusal.rule() != null) {
            problem.setProperty("rule", refusal.rule());
        }
        refusal.details().forEach(problem::setProperty);
        return problem;
    }

    /**
     * A request body or value that could not be read: too large (413), a value a record of the request refused while
     * it was read (that refusal, by name), or malformed (400).
     */
    static ProblemDetail malformed(ServerWebInputException input) {
        if (causedBy(input, DataBufferLimitException.class)) {
            return tooLarge();
        }
        for (Throwable t = input; t != null; t = t.getCause()) {
            if (t instanceof Refusal refusal) {
                return of(refusal);
            }
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, describe(input));
        problem.setTitle("Malformed request");
        return problem;
    }

    /**
     * 503 {@code LEDGER_INTEGRITY}: an event the answer needs failed verification on read, so nothing was done with
     * it. Names the global index for an operator to run the verifier on; the request may succeed once it verifies.
     */
    static ProblemDetail integrity(LedgerIntegrityException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE, "an event of the ledger at global index " + e.globalIndex()
                        + " failed verification (" + e.problem() + "): nothing was done with it");
        problem.setType(URI.create("urn:ccm-ledger:problem:LEDGER_INTEGRITY"));
        problem.setTitle("LEDGER_INTEGRITY");
        problem.setProperty("code", "LEDGER_INTEGRITY");
        problem.setProperty("globalIndex", e.globalIndex());
        return problem;
    }

    static ProblemDetail tooLarge() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, "request body too large");
    }

    static ProblemDetail badArgument() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Malformed request value");
    }

    /** A 500 naming nothing; the failure is logged by its class only. */
    static ProblemDetail internal(Throwable e) {
        log.error("Unhandled failure ({})", e.getClass().getName());
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
    }

    /** The problem of the failure an Axon command or query execution exception wraps. */
    static ProblemDetail wrapped(Throwable e) {
        Throwable cause = e.getCause();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof LedgerIntegrityException integrity) {
                return integrity(integrity);
            }
        }
        if (cause instanceof Refusal refusal) {
            return of(refusal);
        }
        ProblemDetail known = axon(cause);
        return known != null ? known : internal(e);
    }

    /** Axon's own refusals of a command: no such aggregate, a concurrent write, a stream that already exists. */
    static ProblemDetail axon(Throwable e) {
        if (e instanceof AggregateNotFoundException) {
            return of(Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice"));
        }
        if (e instanceof ConcurrencyException) {
            return of(Refusal.conflict("CONCURRENT_MODIFICATION",
                                       "the record was changed concurrently or already exists; retry"));
        }
        if (e instanceof AggregateStreamCreationException) {
            return of(Refusal.conflict("ALREADY_EXISTS", "this record was created concurrently or already exists"));
        }
        return null;
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
}
