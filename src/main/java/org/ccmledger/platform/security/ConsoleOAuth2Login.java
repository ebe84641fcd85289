package org.ccmledger.platform.security;

import java.net.URI;
import java.time.Duration;

import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeReactiveAuthenticationManager;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.ReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The console's sign-in at the configured identity provider: OpenID Connect, authorization code flow with PKCE (S256,
 * for public and confidential clients alike), {@code state} and {@code nonce}, against the provider's discovery
 * document at {@code ccm.security.issuer-uri}. {@value #START} sends the browser to the provider; the provider sends it
 * back to {@value #CALLBACK}, where the code is exchanged (with the PKCE verifier) and the ID token verified (the
 * provider's keys, issuer, audience = the client id, expiry, nonce). Its claims name the {@link Caller} as a bearer
 * token's do ({@link SecurityConfiguration#callerOf(java.util.Map, SecurityProperties)}); the console session then holds
 * that caller (a new session id), and {@link ConsolePolicy} decides as for any console user. The console keeps none of
 * the provider's tokens. The discovery document is read on the first sign-in, not at start-up, so the service starts
 * while the provider is away.
 */
final class ConsoleOAuth2Login {

    /** The one client registration: the configured provider. */
    static final String REGISTRATION = "provider";
    static final String START = ConsolePolicy.ROOT + "/sign-in/oauth2/" + REGISTRATION;
    static final String CALLBACK = ConsolePolicy.ROOT + "/sign-in/oauth2/code/" + REGISTRATION;
    /** Where a sign-in that did not complete (refused, a wrong state or nonce, no usable user) ends. */
    static final String FAILED = ConsolePolicy.ROOT + "/sign-in?failed";

    private final SecurityProperties security;
    private final ConsoleOAuth2Properties client;
    private final ConsoleSessions sessions;
    private final Mono<ClientRegistration> registration;

    ConsoleOAuth2Login(SecurityProperties security, ConsoleOAuth2Properties client, ConsoleSessions sessions) {
        if (security.issuerUri() == null) {
            throw new IllegalStateException("ccm.console.oauth2.client-id needs ccm.security.issuer-uri: the console "
                    + "finds the provider's endpoints through its OpenID discovery document");
        }
        this.security = security;
        this.client = client;
        this.sessions = sessions;
        // discovery is a blocking HTTP call: on the bounded elastic scheduler, kept once it succeeded, retried if not
        this.registration = Mono.fromCallable(this::discover).subscribeOn(Schedulers.boundedElastic())
                                .cache(found -> Duration.ofHours(1), failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    private ClientRegistration discover() {
        ClientRegistration.Builder builder = ClientRegistrations.fromOidcIssuerLocation(security.issuerUri())
                .registrationId(REGISTRATION)
                .clientId(client.clientId())
                .scope(client.scopes())
                .redirectUri("{baseUrl}" + ConsolePolicy.ROOT + "/sign-in/oauth2/code/{registrationId}")
                .userNameAttributeName(security.userClaim());
        if (client.clientSecret() == null) {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        } else {
            builder.clientSecret(client.clientSecret());
        }
        return builder.build();
    }

    /** Adds the sign-in at the provider to the console's chain. */
    void configure(ServerHttpSecurity http) {
        ReactiveClientRegistrationRepository registrations = id -> REGISTRATION.equals(id) ? registration
                : Mono.empty();
        DefaultServerOAuth2AuthorizationRequestResolver requests = new DefaultServerOAuth2AuthorizationRequestResolver(
                registrations, ServerWebExchangeMatchers.pathMatchers(
                        ConsolePolicy.ROOT + "/sign-in/oauth2/{registrationId}"));
        // PKCE for a confidential client too (a public one gets it anyway)
        requests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        // state, nonce and code verifier come from a SecureRandom that now and then reads /dev/urandom: not on the
        // Netty event loop
        ServerOAuth2AuthorizationRequestResolver offTheEventLoop = new ServerOAuth2AuthorizationRequestResolver() {
            @Override
            public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange) {
                return Mono.defer(() -> requests.resolve(exchange)).subscribeOn(Schedulers.boundedElastic());
            }

            @Override
            public Mono<OAuth2AuthorizationRequest> resolve(ServerWebExchange exchange, String registrationId) {
                return Mono.defer(() -> requests.resolve(exchange, registrationId))
                           .subscribeOn(Schedulers.boundedElastic());
            }
        };
        OidcAuthorizationCodeReactiveAuthenticationManager codes = new OidcAuthorizationCodeReactiveAuthenticationManager(
                new WebClientReactiveAuthorizationCodeTokenResponseClient(), callers());
        DefaultServerRedirectStrategy redirect = new DefaultServerRedirectStrategy();
        ServerAuthenticationFailureHandler failed = (exchange, e) ->
                redirect.sendRedirect(exchange.getExchange(), URI.create(FAILED));
        http.oauth2Login(login -> login
                .clientRegistrationRepository(registrations)
                .authorizationRequestResolver(offTheEventLoop)
                .authenticationMatcher(ServerWebExchangeMatchers.pathMatchers(
                        ConsolePolicy.ROOT + "/sign-in/oauth2/code/{registrationId}"))
                .authenticationManager(codes)
                .authorizedClientRepository(NO_TOKENS_KEPT)
                .securityContextRepository(sessions.repository())
                .loginPage(ConsolePolicy.ROOT + "/sign-in")
                .authenticationSuccessHandler(signedIn(redirect))
                .authenticationFailureHandler(failed));
    }

    /** The verified ID token's caller in the console session, as {@link ConsoleAuthentication}; on to the console. */
    private ServerAuthenticationSuccessHandler signedIn(DefaultServerRedirectStrategy redirect) {
        return (WebFilterExchange exchange, Authentication authentication) -> {
            Caller caller = ((ProviderUser) ((OAuth2AuthenticationToken) authentication).getPrincipal()).caller();
            return sessions.signIn(exchange.getExchange(), ConsoleAuthentication.identityProvider(caller))
                           .then(redirect.sendRedirect(exchange.getExchange(), URI.create(ConsolePolicy.ROOT)));
        };
    }

    /** The user the ID token (and the user-info endpoint, when the provider is asked) names, read as a caller. */
    private ReactiveOAuth2UserService<OidcUserRequest, OidcUser> callers() {
        OidcReactiveOAuth2UserService users = new OidcReactiveOAuth2UserService();
        return request -> users.loadUser(request).flatMap(user -> SecurityConfiguration
                .callerOf(user.getClaims(), security)
                .map(caller -> Mono.<OidcUser>just(new ProviderUser(user, caller)))
                .orElseGet(() -> Mono.error(new OAuth2AuthenticationException(new OAuth2Error("invalid_user_info",
                        "The ID token names no usable user", null)))));
    }

    /** An OpenID user with the caller their claims name. */
    static final class ProviderUser extends DefaultOidcUser {

        private final transient Caller caller;

        ProviderUser(OidcUser user, Caller caller) {
            super(user.getAuthorities(), user.getIdToken(), user.getUserInfo(), "sub");
            this.caller = caller;
        }

        Caller caller() {
            return caller;
        }

        @Override
        public boolean equals(Object other) {
            return super.equals(other);
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }
    }

    /** The console keeps none of the provider's tokens: it needs them only to learn who signed in. */
    private static final ServerOAuth2AuthorizedClientRepository NO_TOKENS_KEPT = new ServerOAuth2AuthorizedClientRepository() {
        @Override
        public <T extends OAuth2AuthorizedClient> Mono<T> loadAuthorizedClient(String id, Authentication principal,
                                                                               ServerWebExchange exchange) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> saveAuthorizedClient(OAuth2AuthorizedClient client, Authentication principal,
                                               ServerWebExchange exchange) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> removeAuthorizedClient(String id, Authentication principal, ServerWebExchange exchange) {
            return Mono.empty();
        }
    };
}
