package org.ccmledger.support;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;
import org.ccmledger.platform.security.DevIssuer;
import org.ccmledger.platform.security.Role;

/**
 * Tokens of the local development issuer whose key is in a service's data directory, as the documented
 * {@code mint-token} command makes them.
 */
public final class TestTokens {

    /** Every role: the default caller of the tests that are not about authorization. */
    public static final Set<Role> ALL_ROLES = EnumSet.allOf(Role.class);
    private static final Pattern PRACTICE = Pattern.compile("^/api/v1/practices/([^/;?]+).*");

    private final DevIssuer issuer;

    public TestTokens(Path dataDirectory) {
        this.issuer = DevIssuer.inDirectory(dataDirectory);
    }

    /** Any claims, signed RS256 with the development issuer's key: for tokens the issuer itself would not mint. */
    public String sign(JWTClaimsSet claims) {
        return issuer.sign(claims);
    }

    public String mint(String user, Set<Role> roles, String... practices) {
        return issuer.mint(user, roles, List.of(practices), Duration.ofMinutes(30));
    }

    /**
     * A token for the practice the request's path names; for a ledger-wide path, one for practice {@code p1} (a
     * token for no practice acts for nothing).
     */
    public String forPath(String user, Set<Role> roles, URI uri) {
        Matcher m = PRACTICE.matcher(uri.getRawPath());
        return mint(user, roles, m.matches() ? m.group(1) : "p1");
    }
}
