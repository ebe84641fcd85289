package org.ccmledger.billing.export;

import static org.ccmledger.platform.web.Blocking.blocking;

import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.ccmledger.billing.api.BillingViews.PatientRow;
import org.ccmledger.billing.readmodel.BillingReads.MonthStream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * A practice's month written as it is evaluated: the JSON document and the CSV, a batch of patients at a time, the
 * next batch read and evaluated while one is written. What is written equals the month written whole.
 */
public final class PracticeMonthStreams {

    /** Batches of a streamed month read and evaluated at once (on the blocking scheduler). */
    public static final int READ_AHEAD = 2;

    /** Where the rows go in a practice month written without them. */
    private static final String NO_ROWS = "\"patients\":[]";

    private PracticeMonthStreams() {
    }

    /**
     * The month's rows a batch at a time, in order: {@value #READ_AHEAD} batches read and evaluated at once, each
     * added to the totals as it comes in turn.
     */
    public static Flux<List<PatientRow>> rows(MonthStream stream) {
        return Flux.fromIterable(stream.batches())
                   .flatMapSequential(batch -> blocking(() -> stream.evaluate(batch)), READ_AHEAD, 1)
                   .map(stream::add);
    }

    /** The month as one JSON document: its opening, the rows as they are evaluated, the totals of them all last. */
    public static Flux<String> json(MonthStream stream, JsonMapper json) {
        String opening = json.writeValueAsString(stream.withoutRows());
        AtomicBoolean first = new AtomicBoolean(true);
        Flux<String> rows = rows(stream).map(batch -> {
            StringBuilder out = new StringBuilder();
            for (PatientRow row : batch) {
                out.append(first.getAndSet(false) ? "" : ",").append(json.writeValueAsString(row));
            }
            return out.toString();
        });
        Mono<String> closing = Mono.fromCallable(() -> {
            String whole = json.writeValueAsString(stream.withoutRows());
            return whole.substring(whole.indexOf(NO_ROWS) + NO_ROWS.length() - 1);
        });
        return Flux.concat(Mono.just(opening.substring(0, opening.indexOf(NO_ROWS) + NO_ROWS.length() - 1)), rows,
                           closing);
    }

    /** The month as CSV: the header, then each batch's rows as evaluated. */
    public static Flux<String> csv(MonthStream stream, YearMonth month) {
        return Flux.concat(Mono.just(PracticeMonthCsv.HEADER),
                           rows(stream).map(rows -> PracticeMonthCsv.rows(month.toString(), rows)));
    }
}
