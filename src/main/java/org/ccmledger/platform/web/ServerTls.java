package org.ccmledger.platform.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * HTTPS for the service itself: when {@code ccm.tls.certificate} and {@code ccm.tls.private-key} ({@code CCM_TLS_CERT},
 * {@code CCM_TLS_KEY}; PEM files, or PEM text) are both set, the server listens on its port with TLS only, through a
 * Spring SSL bundle named {@value #BUNDLE}, and accepts TLS 1.3 and 1.2 only ({@value #PROTOCOLS}). Neither set: plain
 * HTTP, as behind a TLS-terminating proxy. Only one set: the service refuses to start, rather than serve patient data
 * in clear when the operator meant TLS.
 * <p>
 * Settings an operator gives under {@code spring.ssl.bundle.pem.ccm-server} or {@code server.ssl} themselves win over
 * these (this source comes last). {@code ccm.tls.private-key-password} opens an encrypted PKCS#8 key.
 */
public final class ServerTls implements EnvironmentPostProcessor, Ordered {

    public static final String BUNDLE = "ccm-server";
    public static final String PROTOCOLS = "TLSv1.3,TLSv1.2";
    static final String CERTIFICATE = "ccm.tls.certificate";
    static final String PRIVATE_KEY = "ccm.tls.private-key";
    static final String PRIVATE_KEY_PASSWORD = "ccm.tls.private-key-password";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> tls = settings(environment.getProperty(CERTIFICATE),
                                           environment.getProperty(PRIVATE_KEY),
                                           environment.getProperty(PRIVATE_KEY_PASSWORD));
        if (!tls.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource("ccm-server-tls", tls));
        }
    }

    /**
     * The Spring properties that serve HTTPS with this certificate and key; none when neither is given.
     *
     * @throws IllegalStateException when only one of them is given
     */
    static Map<String, Object> settings(String certificate, String privateKey, String privateKeyPassword) {
        boolean hasCertificate = certificate != null && !certificate.isBlank();
        boolean hasKey = privateKey != null && !privateKey.isBlank();
        if (!hasCertificate && !hasKey) {
            return Map.of();
        }
        if (!hasCertificate || !hasKey) {
            throw new IllegalStateException("TLS needs both a certificate and its private key: CCM_TLS_CERT ("
                    + CERTIFICATE + ") is " + (hasCertificate ? "set" : "missing") + ", CCM_TLS_KEY (" + PRIVATE_KEY
                    + ") is " + (hasKey ? "set" : "missing") + ". Set both to serve HTTPS, or neither to serve plain "
                    + "HTTP behind a TLS-terminating proxy (docs/operations.md)");
        }
        String prefix = "spring.ssl.bundle.pem." + BUNDLE + ".";
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(prefix + "keystore.certificate", certificate.strip());
        properties.put(prefix + "keystore.private-key", privateKey.strip());
        if (privateKeyPassword != null && !privateKeyPassword.isEmpty()) {
            properties.put(prefix + "keystore.private-key-password", privateKeyPassword);
        }
        properties.put("server.ssl.bundle", BUNDLE);
        properties.put("server.ssl.enabled-protocols", PROTOCOLS);
        return properties;
    }

    /** After the application's configuration files are read, so that they (and their placeholders) are seen. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
