package org.ccmledger.platform.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.ccmledger.platform.web.ProblemResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;

import reactor.core.publisher.Mono;

/**
 * The service as an OAuth2 resource server: every request but the {@link AccessPolicy#PUBLIC public} ones carries a
 * JWT bearer token from the configured identity provider (or the local development issuer), and each endpoint admits
 * only the roles {@link AccessPolicy} names, for the practices the token names. Stateless: no session, no cookie, no
 * CSRF surface. Refusals are RFC 9457 problems: 401 without a valid token, 403 when the token does not allow it.
 */
@Configuration
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** 401: no valid token (from the bearer-token filter and from authorization alike). */
    private static final ServerAuthenticationEntryPoint UNAUTHORIZED =
            (exchange, e) -> unauthorized(exchange.getResponse(), e);
    /** 403: a valid token that does not allow this. */
    private static final ServerAccessDeniedHandler FORBIDDEN = (exchange, e) -> {
        if (exchange.getAttribute(BreakGlass.REFUSED) instanceof BreakGlass.Refused refused) {
            return ProblemResponses.write(exchange.getResponse(), HttpStatus.valueOf(refused.status()),
                                          refused.detail(), refused.code());
        }
        return problem(exchange.getResponse(), HttpStatus.FORBIDDEN,
                       "Your token does not allow this action, or not for this practice");
    };

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
                                                  SecurityProperties properties, BreakGlass breakGlass) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                // SecurityHeadersFilter writes every security header on every response, refusals included
                .headers(ServerHttpSecurity.HeaderSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(exchanges -> {
                    exchanges.pathMatchers(AccessPolicy.PUBLIC.toArray(String[]::new)).permitAll();
                    for (AccessPolicy.Rule rule : AccessPolicy.RULES) {
                        exchanges.pathMatchers(rule.method(), rule.pattern())
                                 .access(allow(rule.roles(), rule.pattern(), breakGlass));
                    }
                    exchanges.anyExchange().denyAll();
                })
                .oauth2ResourceServer(server -> server
                        .bearerTokenConverter(bearerTokensOutsidePublicPaths())
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(callerOf(properties)))
                        .authenticationEntryPoint(UNAUTHORIZED).accessDeniedHandler(FORBIDDEN))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(UNAUTHORIZED)
                                                       .accessDeniedHandler(FORBIDDEN))
                .build();
    }

    /**
     * A request the security firewall refuses before anything else looks at it (a semicolon, an encoded slash or
     * percent sign, a dot segment, a control character in the URL or a header) is a 400 problem like every other
     * malformed request, not an empty 400. The detail never repeats the URL, which may name a patient.
     */
    @Bean
    ServerExchangeRejectedHandler rejectedExchangeProblem() {
        return (exchange, rejected) -> problem(exchange.getResponse(), HttpStatus.BAD_REQUEST,
                "The request URL or a header holds characters this service refuses (a semicolon, an encoded slash or "
                        + "percent sign, a dot segment, a control character)");
    }

    /**
     * Reads a bearer token on every path but the public ones: there a token is not asked for, and
     * {@code /actuator/prometheus} takes a token of its own ({@code ccm.metrics.token}) that is no JWT.
     */
    private static ServerAuthenticationConverter bearerTokensOutsidePublicPaths() {
        ServerWebExchangeMatcher publicPaths = ServerWebExchangeMatchers.pathMatchers(
                AccessPolicy.PUBLIC.toArray(String[]::new));
        ServerBearerTokenAuthenticationConverter bearer = new ServerBearerTokenAuthenticationConverter();
        return exchange -> publicPaths.matches(exchange)
                                      .flatMap(match -> match.isMatch() ? Mono.empty() : bearer.convert(exchange));
    }

    /**
     * Admits a caller with one of the roles, acting for the path's practice when the path names one. A practice's role
     * acts only for the practices the token names, so a token that names none acts for nothing with it; a platform role
     * ({@link Role#platform()}) acts without a practice, on the endpoints that admit it.
     */
    static boolean admits(Caller caller, Set<Role> roles, String practice) {
        boolean asPlatform = roles.stream().anyMatch(role -> role.platform() && caller.has(role));
        boolean asPractice = roles.stream().anyMatch(role -> !role.platform() && caller.has(role))
                             && !caller.practices().isEmpty() && (practice == null || caller.mayActFor(practice));
        return asPlatform && practice == null || asPractice;
    }

    /**
     * {@link #admits} for the endpoint's roles; a caller they refuse may still read a patient record in an emergency
     * ({@link BreakGlass}).
     */
    static ReactiveAuthorizationManager<AuthorizationContext> allow(Set<Role> roles, String pattern,
                                                                    BreakGlass breakGlass) {
        return new ReactiveAuthorizationManager<>() {
            @Override
            public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication,
                                                       AuthorizationContext context) {
                Object variable = context.getVariables().get("practiceId");
                String practice = variable == null ? null : variable.toString();
                return authentication.flatMap(Callers::of)
                                     .flatMap(caller -> admits(caller, roles, practice) ? Mono.just(true)
                                             : breakGlass.admits(context.getExchange(), pattern, caller, practice))
                                     .map(admitted -> (AuthorizationResult) new AuthorizationDecision(admitted))
                                     .defaultIfEmpty(new AuthorizationDecision(false));
            }
        };
    }

    @Bean
    BreakGlass breakGlass(org.springframework.beans.factory.ObjectProvider<BreakGlass.PracticeRoles> practices,
                          io.micrometer.core.instrument.MeterRegistry registry) {
        BreakGlass.PracticeRoles none = practice -> Set.of();
        return new BreakGlass(practices.getIfAvailable(() -> none), registry);
    }

    /** The caller a verified token names; a token without a usable user is not a valid token here. */
    static Converter<Jwt, Mono<AbstractAuthenticationToken>> callerOf(SecurityProperties properties) {
        return jwt -> callerOf(jwt.getClaims(), properties)
                .map(caller -> Mono.<AbstractAuthenticationToken>just(new CallerAuthentication(jwt, caller.roles()
                        .stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r.name())).toList(), caller)))
                .orElseGet(() -> Mono.error(new InvalidBearerTokenException("The token names no usable user")));
    }

    /**
     * The caller verified claims name (a bearer token's, or the console's ID token's): the user from the user claim,
     * the roles this service knows from the roles claim, the practices from the practices claim; empty when they name
     * no usable user.
     */
    static java.util.Optional<Caller> callerOf(java.util.Map<String, Object> claims, SecurityProperties properties) {
        Object named = claims.get(properties.userClaim());
        String user = named == null ? null : named.toString();
        if (user == null || !Caller.USER.matcher(user).matches()) {
            return java.util.Optional.empty();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        strings(claims.get(properties.rolesClaim())).forEach(value -> Role.fromClaimValue(value).ifPresent(roles::add));
        return java.util.Optional.of(new Caller(user, roles,
                                                new LinkedHashSet<>(strings(claims.get(properties.practicesClaim())))));
    }

    /** A claim holding a list of strings, or one string (some providers flatten a one-element list). */
    private static List<String> strings(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof Collection<?> collection) {
            collection.forEach(v -> {
                if (v instanceof String s && !s.isBlank()) {
                    values.add(s);
                }
            });
        } else if (claim instanceof String s && !s.isBlank()) {
            values.addAll(List.of(s.trim().split("\\s+")));
        }
        return values;
    }

    private static Mono<Void> unauthorized(ServerHttpResponse response, Exception e) {
        boolean badToken = e instanceof org.springframework.security.oauth2.core.OAuth2AuthenticationException;
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, badToken
                ? "Bearer realm=\"ccm-ledger\", error=\"invalid_token\"" : "Bearer realm=\"ccm-ledger\"");
        return problem(response, HttpStatus.UNAUTHORIZED, badToken
                ? "The bearer token is not valid (signature, issuer, audience, expiry, lifetime or user)"
                : "A bearer token is required");
    }

    /** An RFC 9457 problem; its detail is a fixed sentence, never the token or the path. */
    private static Mono<Void> problem(ServerHttpResponse response, HttpStatus status, String detail) {
        return ProblemResponses.write(response, status, detail);
    }
}
