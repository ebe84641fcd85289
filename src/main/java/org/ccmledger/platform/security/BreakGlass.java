package org.ccmledger.platform.security;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Emergency access ("break the glass", HIPAA 45 CFR 164.312(a)(2)(ii)): a user of a practice whose roles do not open a
 * patient's record may read it anyway for a reason they state ({@value #HEADER}: the reason), when one of their roles
 * is among those the practice's profile allows to break the glass. Only reads (GET) of one patient's record
 * ({@code /api/v1/practices/{practiceId}/patients/{patientId}/…}) can be opened so; never another practice's, never a
 * write, never without a reason. A granted read is marked on the exchange ({@link #REASON}) so the access log records
 * it as break-glass with the reason, and is counted in {@code ccm_ledger_break_glass_total} by outcome and the role
 * used (never the user, patient or reason). A caller whose roles already open the record is not breaking the glass:
 * the header is ignored for them.
 */
public final class BreakGlass {

    /** The request header that asks for emergency access and states why. */
    public static final String HEADER = "X-Break-Glass";
    /** The exchange attribute holding the stated reason of a granted emergency read. */
    public static final String REASON = BreakGlass.class.getName() + ".reason";
    /** The exchange attribute holding why a request for emergency access was refused (a {@link Refused}). */
    static final String REFUSED = BreakGlass.class.getName() + ".refused";
    /** The patient record paths emergency access can open. */
    static final String PATIENT_PATHS = "/api/v1/practices/{practiceId}/patients/{patientId}";

    /** A reason: 10-500 printable characters, something a reviewer can judge. */
    private static final Pattern REASON_TEXT = Pattern.compile("[\\p{Print}&&[^<>]]{10,500}");

    /** Why a request for emergency access was refused: the problem's status, code and detail. */
    record Refused(int status, String code, String detail) {
    }

    /** The roles a practice allows to break the glass (its profile's {@code breakGlassRoles}). Blocking. */
    public interface PracticeRoles {
        Set<Role> breakGlassRoles(String practiceId);
    }

    private final PracticeRoles practices;
    private final MeterRegistry registry;

    BreakGlass(PracticeRoles practices, MeterRegistry registry) {
        this.practices = practices;
        this.registry = registry;
    }

    /**
     * Whether {@code caller}, refused by the endpoint's roles, may read the patient record of {@code practice} in an
     * emergency: a GET of a patient path, with a well-formed reason, for a practice the caller acts for, with a role
     * the practice allows. Records the outcome on the exchange and in the metric. Never asks anything of a request
     * without the header.
     */
    Mono<Boolean> admits(ServerWebExchange exchange, String pattern, Caller caller, String practice) {
        String reason = exchange.getRequest().getHeaders().getFirst(HEADER);
        if (reason == null || exchange.getRequest().getMethod() != HttpMethod.GET
                || !pattern.startsWith(PATIENT_PATHS) || practice == null) {
            return Mono.just(false);
        }
        String stated = reason.strip();
        if (!validReason(stated)) {
            return refused(exchange, null, new Refused(400, "INVALID_BREAK_GLASS_REASON", "Header " + HEADER
                    + " must state the emergency in 10-500 printable characters (no < or >)"));
        }
        if (!caller.mayActFor(practice)) {
            return refused(exchange, null, new Refused(403, "BREAK_GLASS_NOT_ALLOWED",
                    "Emergency access opens only the records of a practice the token names"));
        }
        return allowedRole(caller, practice).flatMap(used -> {
            if (used.isEmpty()) {
                return refused(exchange, askedAs(caller), new Refused(403, "BREAK_GLASS_NOT_ALLOWED", NOT_ALLOWED));
            }
            granted(exchange, stated, used.get());
            return Mono.just(true);
        });
    }

    /** The detail of a refusal for a role the practice does not allow. */
    public static final String NOT_ALLOWED = "The practice does not allow your role emergency access to a patient "
                                             + "record";

    /** Whether {@code reason} (stripped) is a reason a reviewer can judge: 10-500 printable characters, no < or >. */
    public static boolean validReason(String reason) {
        return reason != null && REASON_TEXT.matcher(reason).matches();
    }

    /**
     * The caller's role that the practice allows to break the glass (the first by name when several are), or empty:
     * also when the caller does not act for the practice.
     */
    public Mono<Optional<Role>> allowedRole(Caller caller, String practice) {
        if (!caller.mayActFor(practice)) {
            return Mono.just(Optional.empty());
        }
        return Mono.fromCallable(() -> practices.breakGlassRoles(practice))
                   .subscribeOn(Schedulers.boundedElastic())
                   .map(allowed -> caller.roles().stream().filter(allowed::contains).sorted().findFirst());
    }

    /** Marks the exchange as an emergency read for {@code reason}, so the access log records it, and counts it. */
    public void granted(ServerWebExchange exchange, String reason, Role role) {
        exchange.getAttributes().put(REASON, reason);
        count("granted", role);
    }

    /** Counts a refused request for emergency access by the role it was asked with (or none). */
    private void refused(Role role) {
        count("refused", role);
    }

    /** Counts a request for emergency access that {@code caller}'s roles do not allow, by the role it was asked with. */
    public void refused(Caller caller) {
        refused(askedAs(caller));
    }

    /** The role a refused request is counted under: the caller's first by name, or none. */
    private static Role askedAs(Caller caller) {
        return caller.roles().stream().sorted().findFirst().orElse(null);
    }

    private Mono<Boolean> refused(ServerWebExchange exchange, Role role, Refused refused) {
        exchange.getAttributes().put(REFUSED, refused);
        refused(role);
        return Mono.just(false);
    }

    private void count(String outcome, Role role) {
        Counter.builder("ccm.ledger.break.glass")
               .description("Requests for emergency (break-glass) access to a patient record, by outcome and role")
               .tag("outcome", outcome).tag("role", role == null ? "none" : role.claimValue())
               .register(registry).increment();
    }

    /** The practice roles a profile may name as allowed to break the glass (not the platform's). */
    public static Set<Role> eligibleRoles() {
        Set<Role> roles = EnumSet.allOf(Role.class);
        roles.removeIf(Role::platform);
        return roles;
    }
}
