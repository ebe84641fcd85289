package org.ccmledger.audit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.ccmledger.audit.api.PatientDataAccessed;
import org.ccmledger.platform.ids.IdFormat;
import org.ccmledger.platform.security.BreakGlass;
import org.ccmledger.platform.security.Caller;
import org.ccmledger.platform.security.Callers;
import org.ccmledger.platform.web.CommandSender;
import org.ccmledger.platform.web.ProblemResponses;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The access log: every read of a practice's patient data — a patient and everything under it, the practice's billing
 * and claims, the event log, the access log itself — appends a {@link PatientDataAccessed} to the ledger before the
 * data is sent, naming who (the user of the verified token), what, when and the declared purpose of use
 * ({@code X-Purpose-Of-Use}, an HL7 PurposeOfUse code; {@code UNSPECIFIED} when absent). The record is written when
 * the response is committed, before its first byte leaves: if it cannot be written, nothing is served. A refused read
 * (4xx) serves no data and writes nothing. An emergency read ({@link BreakGlass}) is recorded with its stated reason.
 */
@Component
// after Spring Security's filter chain (order -100), which has verified the caller's token by then
@Order(-90)
class AccessLogFilter implements WebFilter {

    static final String PURPOSE_HEADER = "X-Purpose-Of-Use";
    private static final String ID = IdFormat.REGEX;
    private static final Pattern PATIENT = Pattern.compile(
            "/api/v1/practices/(" + ID + ")/patients/(" + ID + ")(?:/([a-z-]+))?.*");
    private static final Pattern PRACTICE = Pattern.compile(
            "/api/v1/practices/(" + ID + ")/(billing|claims|audit|profile|staff)(?:/([a-z-]+))?.*");
    /** The console's pages of patient data: a patient (and their packet), a practice's month and its downloads. */
    private static final Pattern CONSOLE_PATIENT = Pattern.compile(
            "/console/practices/(" + ID + ")/patients/(" + ID + ")(?:/([a-z-]+))?.*");
    private static final Pattern CONSOLE_PRACTICE = Pattern.compile(
            "/console/practices/(" + ID + ")/(months|patients|break-glass|events|access-log)(?:/.*)?");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._@:-]{1,128}");
    private static final Pattern PURPOSE = Pattern.compile("[A-Z]{2,16}");

    private final EventBus events;

    AccessLogFilter(EventBus events) {
        this.events = events;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getMethod() != HttpMethod.GET) {
            return chain.filter(exchange);
        }
        // match what the router matches: decoded segments without ;parameters, so no spelling of a path skips the log
        String path = normalized(exchange);
        if (path.startsWith("/console/practices/")) {
            return console(exchange, chain, path);
        }
        if (!path.startsWith("/api/v1/practices/")) {
            return chain.filter(exchange);
        }
        String practice;
        String patient = null;
        String resource;
        Matcher m = PATIENT.matcher(path);
        if (m.matches()) {
            practice = m.group(1);
            patient = m.group(2);
            resource = m.group(3) == null ? "patient" : m.group(3);
        } else {
            Matcher p = PRACTICE.matcher(path);
            if (!p.matches()) {
                // fail closed: a practice path this filter cannot classify is not served
                return badRequest(exchange, "Not a readable practice resource");
            }
            practice = p.group(1);
            resource = p.group(2).equals("audit") && p.group(3) != null ? p.group(3) : p.group(2);
            // a practice-wide read filtered to one patient is a read of that patient's data
            String filtered = exchange.getRequest().getQueryParams().getFirst("patient");
            if (IdFormat.isId(filtered)) {
                patient = filtered;
            }
        }
        String purpose = exchange.getRequest().getHeaders().getFirst(PURPOSE_HEADER);
        if (purpose != null && !PURPOSE.matcher(purpose).matches()) {
            return badRequest(exchange, "Header " + PURPOSE_HEADER
                    + " must be an HL7 PurposeOfUse code such as TREAT, HPAYMT, HOPERAT or HCOMPL");
        }
        String readPractice = practice;
        String readPatient = patient;
        String readResource = resource;
        String readPurpose = purpose == null ? "UNSPECIFIED" : purpose;
        // the caller is there: the security chain ahead of this filter refuses any practice path without a token
        return exchange.getPrincipal().flatMap(Callers::of).map(Caller::user).defaultIfEmpty("")
                       .flatMap(actor -> actor.isEmpty()
                               ? ProblemResponses.write(exchange.getResponse(), HttpStatus.UNAUTHORIZED,
                                                        "A bearer token is required")
                               : logged(exchange, chain, path, readPractice, readPatient, readResource,
                                        readPurpose, actor));
    }

    /**
     * A console page of patient data, logged as its API counterpart is ({@code console-patient},
     * {@code console-month}, {@code console-audit-packet}...), by the signed-in user; the console declares no purpose
     * of use.
     */
    private Mono<Void> console(ServerWebExchange exchange, WebFilterChain chain, String path) {
        String practice;
        String patient = null;
        String resource;
        Matcher m = CONSOLE_PATIENT.matcher(path);
        Matcher p = CONSOLE_PRACTICE.matcher(path);
        if (m.matches()) {
            practice = m.group(1);
            patient = m.group(2);
            resource = "console-" + (m.group(3) == null ? "patient" : m.group(3));
        } else if (p.matches()) {
            practice = p.group(1);
            // the patient-id form only redirects (no 2xx, nothing logged); a month is the practice's billing
            resource = switch (p.group(2)) {
                case "months" -> "console-month";
                case "break-glass" -> "console-break-glass";
                case "events" -> "console-events";
                case "access-log" -> "console-access-log";
                default -> "console-patients";
            };
        } else {
            return badRequest(exchange, "Not a readable practice resource");
        }
        String readPatient = patient;
        // the console's security chain redirects or refuses every page of a practice without a signed-in user
        return exchange.getPrincipal().flatMap(Callers::of).map(Caller::user).defaultIfEmpty("")
                       .flatMap(actor -> actor.isEmpty()
                               ? ProblemResponses.write(exchange.getResponse(), HttpStatus.UNAUTHORIZED,
                                                        "Sign in to the console first")
                               : logged(exchange, chain, path, practice, readPatient, resource, "UNSPECIFIED",
                                        actor));
    }

    private Mono<Void> logged(ServerWebExchange exchange, WebFilterChain chain, String path, String practice,
                              String patient, String resource, String purpose, String actor) {
        String requestId = exchange.getRequest().getHeaders().getFirst(CommandSender.REQUEST_ID_HEADER);
        String query = exchange.getRequest().getURI().getRawQuery();
        PatientDataAccessed access = new PatientDataAccessed(practice, patient, resource,
                                                             query == null ? path : path + "?" + query, actor,
                                                             purpose,
                                                             GenericEventMessage.clock.instant(),
                                                             exchange.getAttribute(BreakGlass.REASON));
        MetaData metaData = MetaData.with("actor", actor)
                                    .and("requestId", requestId != null && TOKEN.matcher(requestId).matches()
                                            ? requestId : org.ccmledger.platform.ids.RandomIds.uuid().toString());
        ServerHttpResponse response = exchange.getResponse();
        response.beforeCommit(() -> {
            HttpStatusCode status = response.getStatusCode();
            if (status != null && !status.is2xxSuccessful()) {
                return Mono.empty(); // a refused read serves nothing and writes nothing
            }
            return Mono.fromRunnable(() -> events.publish(GenericEventMessage.asEventMessage(access)
                                                                             .andMetaData(metaData)))
                       .subscribeOn(Schedulers.boundedElastic()).then();
        });
        return chain.filter(exchange);
    }

    private static String normalized(ServerWebExchange exchange) {
        StringBuilder path = new StringBuilder();
        for (PathContainer.Element element : exchange.getRequest().getPath().pathWithinApplication().elements()) {
            if (element instanceof PathContainer.PathSegment segment) {
                path.append('/').append(segment.valueToMatch());
            }
        }
        return path.toString();
    }

    private static Mono<Void> badRequest(ServerWebExchange exchange, String detail) {
        return ProblemResponses.write(exchange.getResponse(), HttpStatus.BAD_REQUEST, detail);
    }
}
