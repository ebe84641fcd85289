package org.ccmledger.platform.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The console's client at the identity provider ({@code ccm.security.issuer-uri}): with a client id, the console signs
 * its users in there (OpenID Connect, authorization code with PKCE S256, state and nonce); without one, a service with
 * an identity provider has no console sign-in at all.
 *
 * @param clientId     the console's client id at the provider; none (the default): no console sign-in at the provider
 * @param clientSecret the client's secret, for a confidential client; none: a public client, which proves itself with
 *                     PKCE alone (PKCE is used either way)
 * @param scopes       scopes asked for besides {@code openid} (always asked for), none by default
 */
@ConfigurationProperties("ccm.console.oauth2")
public record ConsoleOAuth2Properties(String clientId, String clientSecret, List<String> scopes) {

    public ConsoleOAuth2Properties {
        clientId = clientId == null || clientId.isBlank() ? null : clientId.trim();
        clientSecret = clientSecret == null || clientSecret.isBlank() ? null : clientSecret;
        List<String> all = new ArrayList<>(List.of("openid"));
        if (scopes != null) {
            scopes.stream().map(String::trim).filter(s -> !s.isEmpty() && !all.contains(s)).forEach(all::add);
        }
        scopes = List.copyOf(all);
    }

    /** Whether the console signs its users in at the identity provider. */
    public boolean enabled() {
        return clientId != null;
    }
}
