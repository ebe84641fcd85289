package org.ccmledger.platform.security;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ccmledger.platform.ids.IdFormat;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

import reactor.core.publisher.Mono;

/**
 * Emergency access in the console: a user refused a patient's page (their role does not open it) states a reason on
 * the refusal page; when the practice allows one of their roles ({@link BreakGlass}), their session holds a grant for
 * that one patient for {@link #LASTS}, and each page of the patient they open meanwhile is admitted and recorded in the
 * access log as an emergency read with the reason.
 */
public final class ConsoleBreakGlass {

    /** How long a console grant opens the patient's page. */
    public static final Duration LASTS = Duration.ofMinutes(15);
    private static final String ID = IdFormat.REGEX;
    private static final Pattern PATIENT_PAGE = Pattern.compile(
            "/console/practices/(" + ID + ")/patients/(" + ID + ")");
    private static final String GRANT = ConsoleBreakGlass.class.getName() + ".grant:";

    /** A grant for one patient: the reason stated, the role it was granted to, and until when. */
    public record Grant(String reason, Role role, Instant until) implements java.io.Serializable {
    }

    private ConsoleBreakGlass() {
    }

    /** Grants the session emergency access to one patient's page, from now for {@link #LASTS}. */
    public static void grant(WebSession session, String practice, String patient, String reason, Role role) {
        session.getAttributes().put(GRANT + practice + "/" + patient, new Grant(reason, role,
                                                                                Instant.now().plus(LASTS)));
    }

    /**
     * Admits a GET of the patient's page under a live grant of the session (for a practice the caller acts for),
     * marking it as an emergency read; otherwise not.
     */
    static Mono<Boolean> admits(ServerWebExchange exchange, Caller caller, BreakGlass breakGlass) {
        Matcher page = PATIENT_PAGE.matcher(exchange.getRequest().getPath().pathWithinApplication().value());
        if (exchange.getRequest().getMethod() != HttpMethod.GET || !page.matches()
                || !caller.mayActFor(page.group(1))) {
            return Mono.just(false);
        }
        return exchange.getSession().map(session -> {
            Object held = session.getAttributes().get(GRANT + page.group(1) + "/" + page.group(2));
            if (held instanceof Grant grant && Instant.now().isBefore(grant.until())) {
                breakGlass.granted(exchange, grant.reason(), grant.role());
                return true;
            }
            return false;
        });
    }

    /**
     * The emergency-access form for the refusal page of a patient's page, when the signed-in user acts for its
     * practice; empty otherwise (another practice's page says nothing of the patient).
     */
    static Mono<String> form(ServerWebExchange exchange) {
        Matcher page = PATIENT_PAGE.matcher(exchange.getRequest().getPath().pathWithinApplication().value());
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        if (exchange.getRequest().getMethod() != HttpMethod.GET || !page.matches() || token == null) {
            return Mono.empty();
        }
        return exchange.getPrincipal().flatMap(Callers::of)
                       .filter(caller -> caller.mayActFor(page.group(1)))
                       .flatMap(caller -> token)
                       .map(csrf -> """
                               <form id="break-glass" method="post" action="%s/break-glass">
                               <h2>Emergency access</h2>
                               <p>In an emergency, and if your practice allows your role to, you may open this \
                               record for %d minutes. Your reads are recorded in the access log with your reason and \
                               reviewed by the compliance officer.</p>
                               <p><label for="reason">Why (10-500 characters)</label><br>
                               <textarea id="reason" name="reason" required minlength="10" maxlength="500" \
                               rows="3" cols="60"></textarea></p>
                               <input type="hidden" name="%s" value="%s">
                               <p><button type="submit">Break the glass and open the record</button></p>
                               </form>
                               """.formatted(page.group(0), LASTS.toMinutes(), csrf.getParameterName(),
                                             csrf.getToken()));
    }
}
