package org.ccmledger.platform.security;

import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.session.WebSessionIdResolver;

import reactor.core.publisher.Mono;

/**
 * The console's security, apart from the API's: a browser session instead of a bearer token. The session lives in a
 * cookie scoped to {@code /console} (HttpOnly, SameSite=Lax, Secure when the request came over TLS; idle timeout
 * {@code server.reactive.session.timeout}), every form carries a CSRF token, and each page admits the roles and
 * practices {@link ConsolePolicy} names, decided as the API decides ({@link SecurityConfiguration#admits}). Signing in
 * changes the session id. With an identity provider and a console client ({@code ccm.console.oauth2.client-id}) users
 * sign in there ({@link ConsoleOAuth2Login}); the development sign-in is for the embedded default only. The API chain never reads this session: the cookie is not even sent there.
 */
@Configuration
class ConsoleSecurityConfiguration {

    private static final String SIGN_IN = ConsolePolicy.ROOT + "/sign-in";

    /**
     * The console's sessions, in memory, each ended after {@code server.reactive.session.timeout} without a request
     * (as Spring Boot's own store), handed over on the bounded elastic scheduler: the in-memory store hands a new
     * session over on Reactor's parallel (non-blocking) scheduler, and the first page of a session, rendered where its
     * CSRF token arrives, reads its template from the class path.
     */
    @Bean(org.springframework.web.server.adapter.WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
    org.springframework.web.server.session.WebSessionManager webSessionManager(
            @org.springframework.beans.factory.annotation.Value("${server.reactive.session.timeout:15m}")
            java.time.Duration idleTimeout,
            ObjectProvider<WebSessionIdResolver> resolver) {
        org.springframework.web.server.session.InMemoryWebSessionStore store =
                new org.springframework.web.server.session.InMemoryWebSessionStore() {
                    @Override
                    public Mono<org.springframework.web.server.WebSession> createWebSession() {
                        return super.createWebSession().doOnNext(session -> session.setMaxIdleTime(idleTimeout))
                                    .publishOn(reactor.core.scheduler.Schedulers.boundedElastic());
                    }
                };
        org.springframework.web.server.session.DefaultWebSessionManager manager =
                new org.springframework.web.server.session.DefaultWebSessionManager();
        manager.setSessionStore(store);
        resolver.ifAvailable(manager::setSessionIdResolver);
        return manager;
    }

    /** Where the console keeps who is signed in: the server-side session (the cookie holds only its id). */
    @Bean
    ConsoleSessions consoleSessions() {
        return new ConsoleSessions(new WebSessionServerSecurityContextRepository());
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain consoleSecurityWebFilterChain(ServerHttpSecurity http, ConsoleSessions sessions,
                                                         BreakGlass breakGlass, SecurityProperties security,
                                                         ConsoleOAuth2Properties client) {
        if (client.enabled()) {
            new ConsoleOAuth2Login(security, client, sessions).configure(http);
        }
        ServerAuthenticationEntryPoint signIn = (exchange, e) -> new DefaultServerRedirectStrategy()
                .sendRedirect(exchange, URI.create(SIGN_IN));
        ServerAccessDeniedHandler refused = (exchange, e) -> ConsoleBreakGlass.form(exchange).defaultIfEmpty("")
                .flatMap(form -> refusedPage(exchange.getResponse(), form));
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers(ConsolePolicy.ROOT, ConsolePolicy.ROOT + "/**"))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                // SecurityHeadersFilter writes the console's headers (its strict CSP, no-store) on every response
                .headers(ServerHttpSecurity.HeaderSpec::disable)
                .securityContextRepository(sessions.repository())
                .csrf(csrf -> csrf.csrfTokenRequestHandler(maskedTokens()))
                .authorizeExchange(exchanges -> {
                    exchanges.pathMatchers(ConsolePolicy.PUBLIC.toArray(String[]::new)).permitAll();
                    exchanges.pathMatchers(ConsolePolicy.SIGNED_IN.toArray(String[]::new)).authenticated();
                    for (AccessPolicy.Rule rule : ConsolePolicy.RULES) {
                        exchanges.pathMatchers(rule.method(), rule.pattern())
                                 .access(allowOrEmergency(rule.roles(), breakGlass));
                    }
                    exchanges.anyExchange().denyAll();
                })
                .exceptionHandling(handling -> handling.authenticationEntryPoint(signIn)
                                                       .accessDeniedHandler(refused))
                .build();
    }

    /**
     * The rule's roles, as the API decides; a patient's page also under the session's emergency grant
     * ({@link ConsoleBreakGlass}).
     */
    private static ReactiveAuthorizationManager<AuthorizationContext> allowOrEmergency(java.util.Set<Role> roles,
                                                                                       BreakGlass breakGlass) {
        return (authentication, context) -> {
            Object practice = context.getVariables().get("practiceId");
            return authentication.flatMap(Callers::of)
                                 .flatMap(caller -> SecurityConfiguration.admits(caller, roles, practice == null
                                         ? null : practice.toString()) ? Mono.just(true)
                                         : ConsoleBreakGlass.admits(context.getExchange(), caller, breakGlass))
                                 .map(admitted -> (AuthorizationResult) new AuthorizationDecision(admitted))
                                 .defaultIfEmpty(new AuthorizationDecision(false));
        };
    }

    /**
     * Each page's CSRF token masked afresh (against BREACH), with random bytes from a DRBG seeded once: the default
     * SecureRandom now and then refills from {@code /dev/urandom}, a file read, on whatever thread first asks for the
     * page's token (the Netty event loop).
     */
    private static XorServerCsrfTokenRequestAttributeHandler maskedTokens() {
        XorServerCsrfTokenRequestAttributeHandler handler = new XorServerCsrfTokenRequestAttributeHandler();
        try {
            SecureRandom random = SecureRandom.getInstance("DRBG");
            random.nextBytes(new byte[32]); // seeded here, at start-up
            handler.setSecureRandom(random);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no DRBG SecureRandom in this JDK", e);
        }
        return handler;
    }

    /**
     * A page the signed-in user may not open (another practice's, or one their role does not reach): 403 with a page
     * that says so, and nothing of what was asked for.
     */
    private static Mono<Void> refusedPage(ServerHttpResponse response, String breakGlassForm) {
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        String page = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Not allowed - CCM ledger console</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <link rel="stylesheet" href="/console/assets/console.css"></head>
                <body><main id="main"><h1>Not allowed</h1>
                <p id="refused">Your role does not open this page, or not for this practice.</p>
                %s<p><a href="/console">Back to the console</a></p></main></body></html>
                """.formatted(breakGlassForm);
        DataBuffer buffer = response.bufferFactory().wrap(page.getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }
}
