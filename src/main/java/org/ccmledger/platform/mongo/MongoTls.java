package org.ccmledger.platform.mongo;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;

/**
 * TLS to a configured MongoDB, as its URI says. The Java driver reads {@code tls}/{@code ssl},
 * {@code tlsAllowInvalidHostnames} and {@code tlsInsecure} from the URI itself, but ignores the file options other
 * MongoDB tools take (it only warns): then it would trust the JVM's public certificate authorities instead of the
 * deployment's own, and send no client certificate. So this reads them and builds the driver's {@link SSLContext}:
 * <ul>
 *   <li>{@code tlsCAFile}: PEM certificates of the authorities the server's certificate must chain to;</li>
 *   <li>{@code tlsCertificateKeyFile}: a PEM file with the client's certificate and private key (X.509
 *       authentication), {@code tlsCertificateKeyFilePassword} when the key is encrypted.</li>
 * </ul>
 * Either turns TLS on. Instead, {@code ccm.mongo.ssl-bundle} may name a Spring SSL bundle ({@code spring.ssl.bundle.*})
 * whose trust and key material the driver uses; not both ways at once.
 */
final class MongoTls {

    static final String CA_FILE = "tlscafile";
    static final String CERTIFICATE_KEY_FILE = "tlscertificatekeyfile";
    static final String CERTIFICATE_KEY_FILE_PASSWORD = "tlscertificatekeyfilepassword";
    private static final List<String> FILE_OPTIONS = List.of(CA_FILE, CERTIFICATE_KEY_FILE,
                                                             CERTIFICATE_KEY_FILE_PASSWORD);

    private MongoTls() {
    }

    /**
     * Applies {@code uri} to {@code settings}, with the TLS context its file options or the named SSL bundle give.
     *
     * @return the connection string applied (without the file options, which the driver does not know)
     * @throws IllegalStateException when the URI's file options and an SSL bundle are both given, or the URI turns TLS
     *                               off while naming TLS files
     */
    static ConnectionString apply(String uri, String sslBundle, SslBundles bundles, MongoClientSettings.Builder settings) {
        Map<String, String> files = new LinkedHashMap<>();
        ConnectionString connection = new ConnectionString(withoutFileOptions(uri, files));
        settings.applyConnectionString(connection);
        boolean bundle = sslBundle != null && !sslBundle.isBlank();
        if (files.isEmpty() && !bundle) {
            return connection;
        }
        if (!files.isEmpty() && bundle) {
            throw new IllegalStateException("CCM_MONGO_URI names TLS files (tlsCAFile, tlsCertificateKeyFile) and "
                    + "ccm.mongo.ssl-bundle names an SSL bundle: give the MongoDB TLS material one way only");
        }
        if (Boolean.FALSE.equals(connection.getSslEnabled())) {
            throw new IllegalStateException("CCM_MONGO_URI turns TLS off (tls=false) but names TLS material: remove "
                    + "one or the other");
        }
        if (bundle && bundles == null) {
            throw new IllegalStateException("ccm.mongo.ssl-bundle names " + sslBundle + " but no SSL bundles exist");
        }
        SSLContext context = bundle ? bundles.getBundle(sslBundle).createSslContext() : fromFiles(files);
        settings.applyToSslSettings(ssl -> ssl.enabled(true).context(context));
        return connection;
    }

    private static SSLContext fromFiles(Map<String, String> files) {
        String caFile = files.get(CA_FILE);
        String certificateKeyFile = files.get(CERTIFICATE_KEY_FILE);
        PemSslStoreDetails trust = caFile == null ? null : PemSslStoreDetails.forCertificates(caFile);
        PemSslStoreDetails key = certificateKeyFile == null ? null
                : new PemSslStoreDetails(null, certificateKeyFile, certificateKeyFile,
                                         files.get(CERTIFICATE_KEY_FILE_PASSWORD));
        try {
            return SslBundle.of(new PemSslStoreBundle(key, trust)).createSslContext();
        } catch (RuntimeException e) {
            // the message names the file, never the URI (which may hold a password)
            throw new IllegalStateException("cannot read the MongoDB TLS files named in CCM_MONGO_URI (tlsCAFile "
                    + caFile + ", tlsCertificateKeyFile " + certificateKeyFile + ")", e);
        }
    }

    /** The URI without the file options, which are put into {@code files} (by lower-case name, decoded). */
    static String withoutFileOptions(String uri, Map<String, String> files) {
        int query = uri.indexOf('?');
        if (query < 0) {
            return uri;
        }
        List<String> kept = new ArrayList<>();
        for (String option : uri.substring(query + 1).split("[&;]")) {
            int eq = option.indexOf('=');
            String name = (eq < 0 ? option : option.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (FILE_OPTIONS.contains(name) && eq > 0) {
                files.put(name, URLDecoder.decode(option.substring(eq + 1), StandardCharsets.UTF_8));
            } else if (!option.isEmpty()) {
                kept.add(option);
            }
        }
        return uri.substring(0, query) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }
}
