package org.ccmledger.platform.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A console user signed in: the {@link Caller} they act as (user, roles, practices), kept in their console session
 * (never in a URL or a token the browser can read). How they signed in is {@link #via()}: {@code development} for the
 * development sign-in of the embedded default, {@code identity-provider} for a sign-in at the configured provider.
 */
public final class ConsoleAuthentication extends AbstractAuthenticationToken {

    /** The development sign-in: whoever uses the console picks who they are. Refused with an identity provider. */
    public static final String DEVELOPMENT = "development";

    /** Signed in at the configured identity provider (OpenID Connect, authorization code with PKCE). */
    public static final String IDENTITY_PROVIDER = "identity-provider";

    private final Caller caller;
    private final String via;

    private ConsoleAuthentication(Caller caller, String via) {
        super(caller.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r.name())).toList());
        this.caller = caller;
        this.via = via;
        setAuthenticated(true);
    }

    /** The user as the development sign-in names them. */
    public static ConsoleAuthentication development(Caller caller) {
        return new ConsoleAuthentication(caller, DEVELOPMENT);
    }

    /** The user as the identity provider's ID token names them. */
    static ConsoleAuthentication identityProvider(Caller caller) {
        return new ConsoleAuthentication(caller, IDENTITY_PROVIDER);
    }

    /** Whether this is the development sign-in, which every page marks as such. */
    public boolean development() {
        return DEVELOPMENT.equals(via);
    }

    public Caller caller() {
        return caller;
    }

    public String via() {
        return via;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return caller.user();
    }

    @Override
    public String getName() {
        return caller.user();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConsoleAuthentication o && o.caller.equals(caller) && o.via.equals(via);
    }

    @Override
    public int hashCode() {
        return List.of(caller, via).hashCode();
    }
}
