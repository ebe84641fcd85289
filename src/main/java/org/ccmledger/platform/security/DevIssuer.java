package org.ccmledger.platform.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The local development issuer: an RSA key in the data directory ({@value #FILE_NAME}, owner-only, generated on first
 * use by the service or by the {@code mint-token} command, whichever comes first) that signs RS256 tokens with issuer
 * {@value #ISSUER}. It exists only for the embedded default; a deployment names its identity provider instead.
 */
public final class DevIssuer {

    public static final String ISSUER = "urn:ccm-ledger:dev-issuer";
    public static final String FILE_NAME = "dev-issuer-key.pem";
    private static final String LABEL = "PRIVATE KEY";

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;

    private DevIssuer(RSAPrivateCrtKey privateKey) {
        this.privateKey = privateKey;
        try {
            this.publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is required by every Java runtime", e);
        }
    }

    /** The issuer whose key is {@value #FILE_NAME} in {@code dataDirectory}, generating the key when absent. */
    public static DevIssuer inDirectory(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return read(file);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
            // of two first starts (the service, mint-token) one key wins and both use it
            return KeyFiles.createOwnerOnly(file, KeyFiles.pem(LABEL, key.getEncoded())) ? new DevIssuer(key)
                    : read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the development issuer key to " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is required by every Java runtime", e);
        }
    }

    private static DevIssuer read(Path file) {
        try {
            return new DevIssuer((RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(KeyFiles.der(KeyFiles.read(file), LABEL))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the development issuer key " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("the development issuer key " + file
                                                    + " is not an RSA private key in PKCS#8 PEM form", e);
        }
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /** A signed token for a user with roles, for practices, valid from now for {@code lifetime}. */
    public String mint(String user, Collection<Role> roles, Collection<String> practices, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(user)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim(SecurityProperties.DEFAULT_ROLES_CLAIM, roles.stream().map(Role::claimValue).toList())
                .claim(SecurityProperties.DEFAULT_PRACTICES_CLAIM, List.copyOf(practices))
                .build();
        return sign(claims);
    }

    /** Any claims signed RS256 with this issuer's key (tests use it for tokens {@link #mint} would not make). */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims);
            jwt.sign(new RSASSASigner(privateKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
    }
}
