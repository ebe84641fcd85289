package org.ccmledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.ccmledger.platform.security.ConsoleOAuth2Properties;
import org.ccmledger.platform.security.SecurityProperties;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.result.view.Rendering;

/**
 * The development sign-in exists only while no identity provider is configured and the development issuer is on; with
 * a provider and the console's client there the page leads to the provider instead.
 */
class DevelopmentSignInTest {

    private static final ConsoleOAuth2Properties NO_CLIENT = new ConsoleOAuth2Properties(null, null, null);
    private static final ConsoleOAuth2Properties CLIENT = new ConsoleOAuth2Properties("ccm-console", null, null);

    private static SecurityProperties properties(String issuer, String jwks, String devIssuer) {
        return new SecurityProperties(issuer, jwks, issuer == null ? null : "ccm-ledger", null, null, null,
                                      List.of(), devIssuer);
    }

    @Test
    void isOfferedOnTheEmbeddedDefault() {
        Rendering page = new SignInController(null, properties(null, null, "auto"), NO_CLIENT).signIn(new org.springframework.util.LinkedMultiValueMap<>())
                                                                                                 .block();
        assertThat(page.status()).isEqualTo(HttpStatus.OK);
        assertThat(page.modelAttributes()).containsEntry("development", true);
    }

    @Test
    void isRefusedWithAnIdentityProvider() {
        for (SecurityProperties provider : List.of(properties("https://idp.example/realm", null, "auto"),
                                                   properties(null, "https://idp.example/jwks", "auto"),
                                                   properties(null, null, "off"))) {
            SignInController controller = new SignInController(null, provider, NO_CLIENT);
            Rendering page = controller.signIn(new org.springframework.util.LinkedMultiValueMap<>()).block();
            assertThat(page.status()).isEqualTo(HttpStatus.FORBIDDEN);
            assertThat(page.modelAttributes()).containsEntry("development", false).containsEntry("provider", false);
            // the form is refused before it is read: nobody is signed in
            Rendering posted = controller.signIn((org.springframework.web.server.ServerWebExchange) null).block();
            assertThat(posted.status()).isEqualTo(HttpStatus.FORBIDDEN);
        }
    }

    @Test
    void withTheConsolesClientAtTheProviderThePageLeadsThereAndTheDevelopmentFormIsStillRefused() {
        SignInController controller = new SignInController(null, properties("https://idp.example/realm", null, "auto"),
                                                           CLIENT);
        Rendering page = controller.signIn(new org.springframework.util.LinkedMultiValueMap<>()).block();
        assertThat(page.status()).isEqualTo(HttpStatus.OK);
        assertThat(page.modelAttributes()).containsEntry("development", false).containsEntry("provider", true);
        Rendering posted = controller.signIn((org.springframework.web.server.ServerWebExchange) null).block();
        assertThat(posted.status()).isEqualTo(HttpStatus.FORBIDDEN);
    }
}
