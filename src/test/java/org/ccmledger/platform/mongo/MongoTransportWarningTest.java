package org.ccmledger.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.ccmledger.support.SelfSignedCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.mongodb.MongoClientSettings;

/**
 * HIPAA 164.312(e), transmission security, to the database: the connection to a configured MongoDB uses TLS as its URI
 * says, the CA file other MongoDB tools take included (the Java driver alone ignores it and would trust the JVM's public
 * authorities instead); a MongoDB reached without TLS is named in a warning at start, and the warning never repeats the
 * URI's credentials. No MongoDB is needed: the TLS context the driver gets is tried against a TLS socket here.
 */
@ExtendWith(OutputCaptureExtension.class)
class MongoTransportWarningTest {

    private static final Path DIR = Path.of("target/mongo-tls-test");
    private static SelfSignedCertificate deploymentCa;
    private static SelfSignedCertificate otherCa;

    @BeforeAll
    static void certificates() throws IOException {
        deploymentCa = SelfSignedCertificate.create(DIR, "deployment");
        otherCa = SelfSignedCertificate.create(DIR, "other");
    }

    private static MongoClientSettings settings(String uri) {
        return MongoConfiguration.settings(new MongoProperties(uri, null, null), null);
    }

    @Test
    void aConnectionWithoutTlsIsWarnedAboutWithoutItsPassword(CapturedOutput output) {
        boolean warned = MongoConfiguration.warnUnlessEncrypted(
                settings("mongodb://ledger:s3cret-pw@db1:27017,db2:27017/?replicaSet=rs0"));

        assertThat(warned).isTrue();
        assertThat(output).contains("without TLS").contains("db1:27017").doesNotContain("s3cret-pw");
    }

    @Test
    void aConnectionWithTlsIsNotWarnedAbout(CapturedOutput output) {
        MongoClientSettings tls = settings("mongodb://db1:27017/?replicaSet=rs0&tls=true");
        assertThat(tls.getSslSettings().isEnabled()).isTrue();
        assertThat(MongoConfiguration.warnUnlessEncrypted(tls)).isFalse();
        assertThat(MongoConfiguration.warnUnlessEncrypted(settings("mongodb://db1:27017/?ssl=true"))).isFalse();
        assertThat(output).doesNotContain("without TLS");
    }

    @Test
    void theUrisCaFileIsTheOnlyAuthorityTrusted(CapturedOutput output) throws Exception {
        MongoClientSettings settings = settings("mongodb://ledger:s3cret-pw@db1:27017/ccm_ledger?replicaSet=rs0"
                + "&tlsCAFile=" + deploymentCa.certificateFile().toAbsolutePath() + "&w=majority");

        assertThat(settings.getSslSettings().isEnabled()).as("a CA file turns TLS on").isTrue();
        assertThat(settings.getSslSettings().getContext()).isNotNull();
        assertThat(settings.getClusterSettings().getRequiredReplicaSetName()).as("the other options stay")
                                                                            .isEqualTo("rs0");
        assertThat(MongoConfiguration.warnUnlessEncrypted(settings)).isFalse();
        assertThat(output).doesNotContain("without TLS").doesNotContainIgnoringCase("unsupported option");

        assertThat(handshake(settings.getSslSettings().getContext(), deploymentCa)).as("the deployment's server")
                                                                                   .isTrue();
        assertThat(handshake(settings.getSslSettings().getContext(), otherCa)).as("a server of another authority")
                                                                              .isFalse();
    }

    @Test
    void aNamedSslBundleGivesTheTrustInstead() throws Exception {
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
        bundles.registerBundle("mongo", SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificates(
                deploymentCa.certificateFile().toAbsolutePath().toString()))));

        MongoClientSettings settings = MongoConfiguration.settings(
                new MongoProperties("mongodb://db1:27017/", null, null, "mongo"), bundles);

        assertThat(settings.getSslSettings().isEnabled()).isTrue();
        assertThat(handshake(settings.getSslSettings().getContext(), deploymentCa)).isTrue();
        assertThat(handshake(settings.getSslSettings().getContext(), otherCa)).isFalse();
        assertThatThrownBy(() -> MongoConfiguration.settings(new MongoProperties(
                "mongodb://db1:27017/?tlsCAFile=" + deploymentCa.certificateFile(), null, null, "mongo"), bundles))
                .hasMessageContaining("one way only");
    }

    @Test
    void contradictoryOrUnreadableTlsSettingsStopTheStartWithoutThePassword() {
        assertThatThrownBy(() -> settings("mongodb://db1:27017/?tls=false&tlsCAFile="
                                          + deploymentCa.certificateFile()))
                .hasMessageContaining("turns TLS off");
        assertThatThrownBy(() -> settings("mongodb://ledger:s3cret-pw@db1:27017/?tlsCAFile=/nowhere/ca.pem"))
                .hasMessageContaining("/nowhere/ca.pem").message().doesNotContain("s3cret-pw");
    }

    /** Whether a client with {@code context} completes a TLS handshake with a server presenting {@code server}. */
    private static boolean handshake(SSLContext context, SelfSignedCertificate server) throws Exception {
        try (SSLServerSocket listening = (SSLServerSocket) server.presentingIt().getServerSocketFactory()
                                                                 .createServerSocket(0, 1,
                                                                                     InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listening.accept()) {
                    socket.setSoTimeout(10_000);
                    socket.startHandshake();
                } catch (IOException refused) {
                    // the client refused the server's certificate
                }
            });
            try (SSLSocket client = (SSLSocket) context.getSocketFactory()
                                                       .createSocket("127.0.0.1", listening.getLocalPort())) {
                client.setSoTimeout(10_000);
                client.startHandshake();
                return true;
            } catch (IOException refused) {
                return false;
            } finally {
                accepted.join();
            }
        }
    }
}
