package org.ccmledger.support;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
    private final Path keyFile;

    public TestTokens(Path dataDirectory) {
        this.issuer = DevIssuer.inDirectory(dataDirectory);
        this.keyFile = dataDirectory.resolve(DevIssuer.FILE_NAME);
    }

    /** Any claims, signed RS256 with the development issuer's key: for tokens the issuer itself would not mint. */
    public String sign(JWTClaimsSet claims) {
        try {
            String body = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
