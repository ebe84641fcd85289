package org.ccmledger.console;

import java.net.URI;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.ccmledger.platform.ids.IdFormat;
import org.ccmledger.platform.security.Caller;
import org.ccmledger.platform.security.Callers;
import org.ccmledger.platform.security.ConsoleAuthentication;
import org.ccmledger.platform.security.ConsoleOAuth2Properties;
import org.ccmledger.platform.security.ConsoleSessions;
import org.ccmledger.platform.security.Role;
import org.ccmledger.platform.security.SecurityProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Signing in and out, and the start page. On the embedded default the sign-in is the development one: whoever opens
 * the console picks a user, a role and a practice. It is marked as such on every page, and refused when an identity
 * provider is configured ({@code ccm.security.issuer-uri} or {@code jwk-set-uri}) or the development issuer is off.
 * With a provider and the console's client there ({@code ccm.console.oauth2.client-id}) the page leads to the sign-in
 * at the provider instead; with a provider and no such client the console has no sign-in.
 */
@Controller
class SignInController {

    private final ConsoleSessions sessions;
    private final boolean development;
    private final boolean provider;

    SignInController(ConsoleSessions sessions, SecurityProperties security, ConsoleOAuth2Properties client) {
        this.sessions = sessions;
        this.development = !security.externalIssuer() && !"off".equals(security.devIssuer());
        this.provider = security.externalIssuer() && client.enabled();
    }

    @GetMapping("/console/sign-in")
    Mono<Rendering> signIn(@RequestParam MultiValueMap<String, String> query) {
        String error = !query.containsKey("failed") ? null
                : "The sign-in at the identity provider did not complete. Try again, or ask your administrator.";
        return Pages.rendered(signInPage(error, development || provider ? HttpStatus.OK : HttpStatus.FORBIDDEN));
    }

    @PostMapping("/console/sign-in")
    Mono<Rendering> signIn(ServerWebExchange exchange) {
        if (!development) {
            return Pages.rendered(signInPage(null, HttpStatus.FORBIDDEN));
        }
        return Pages.rendered(exchange.getFormData().flatMap(form -> {
            String user = first(form, "user");
            String practice = first(form, "practice");
            Role role = Arrays.stream(Role.values()).filter(r -> r.claimValue().equals(first(form, "role")))
                              .findFirst().orElse(null);
            if (user == null || !Caller.USER.matcher(user).matches()) {
                return Mono.just(signInPage("A user id is 1-128 letters, digits or ._@:|-", HttpStatus.BAD_REQUEST));
            }
            if (role == null) {
                return Mono.just(signInPage("Pick a role", HttpStatus.BAD_REQUEST));
            }
            Set<String> practices = new LinkedHashSet<>();
            if (!role.platform()) {
                if (!IdFormat.isId(practice)) {
                    return Mono.just(signInPage("A practice id is 1-64 letters, digits, '.', '-' or '_'",
                                                HttpStatus.BAD_REQUEST));
                }
                practices.add(practice);
            }
            Caller caller = new Caller(user, Set.of(role), practices);
            return sessions.signIn(exchange, ConsoleAuthentication.development(caller))
                           .thenReturn(Rendering.redirectTo("/console").build());
        }));
    }

    @PostMapping("/console/sign-out")
    Mono<Rendering> signOut(ServerWebExchange exchange) {
        return Pages.rendered(sessions.signOut(exchange).thenReturn(Rendering.redirectTo("/console/sign-in").build()));
    }

    /** What the signed-in user's roles open, for each of their practices. */
    @GetMapping({"/console", "/console/"})
    Mono<Rendering> home() {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        return Pages.rendered(Callers.current().map(caller -> Rendering.view("console/home")
                .modelAttribute("thisMonth", now.toString())
                .modelAttribute("lastMonth", now.minusMonths(1).toString())
                .modelAttribute("seesMonths", caller.hasAny(List.of(Role.BILLING, Role.COMPLIANCE_OFFICER)))
                .modelAttribute("seesPatients", caller.hasAny(List.of(Role.CARE_STAFF, Role.BILLING_PRACTITIONER,
                                                                      Role.BILLING, Role.COMPLIANCE_OFFICER)))
                .modelAttribute("seesBreakGlass", caller.hasAny(List.of(Role.COMPLIANCE_OFFICER, Role.AUDITOR)))
                .modelAttribute("seesEvents", caller.hasAny(List.of(Role.AUDITOR)))
                .modelAttribute("seesAudit", caller.hasAny(List.of(Role.COMPLIANCE_OFFICER, Role.AUDITOR)))
                .build()));
    }

    /** The patient-id form of the start page: to the patient's page, whose path names only the practice's id. */
    @GetMapping("/console/practices/{practiceId}/patients")
    Mono<Rendering> findPatient(@PathVariable String practiceId, @RequestParam String patientId,
                                @RequestParam(required = false) String open,
                                @RequestParam(required = false) String month) {
        if (!IdFormat.isId(patientId)) {
            return Mono.error(org.ccmledger.platform.problem.Refusal.malformed(
                    "INVALID_PATIENT_ID", "a patient id is 1-64 letters, digits, '.', '-' or '_'"));
        }
        String patient = "/console/practices/" + practiceId + "/patients/" + patientId;
        // the auditor's forms: the patient's verification, or an audit packet (the target page checks the role)
        String target;
        if ("verification".equals(open)) {
            target = patient + "/verification";
        } else if ("audit-packet".equals(open)) {
            if (month == null || !month.matches("\\d{4}-(0[1-9]|1[0-2])")) {
                return Mono.error(org.ccmledger.platform.problem.Refusal.malformed(
                        "INVALID_MONTH", "a month is yyyy-MM"));
            }
            target = patient + "/audit-packet/" + month;
        } else {
            target = patient;
        }
        return Pages.rendered(Rendering.redirectTo(URI.create(target).toString()).build());
    }

    private Rendering signInPage(String error, HttpStatus status) {
        List<String> roles = Arrays.stream(Role.values()).map(Role::claimValue).toList();
        return Rendering.view("console/sign-in").status(status).modelAttribute("development", development)
                        .modelAttribute("provider", provider)
                        .modelAttribute("roles", roles).modelAttribute("error", error == null ? "" : error).build();
    }

    private static String first(MultiValueMap<String, String> form, String name) {
        String value = form.getFirst(name);
        return value == null ? null : value.trim();
    }
}
