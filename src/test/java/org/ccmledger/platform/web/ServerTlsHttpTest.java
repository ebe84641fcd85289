package org.ccmledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.ccmledger.CcmLedgerApplication;
import org.ccmledger.support.SelfSignedCertificate;
import org.ccmledger.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * HIPAA 164.312(e)(2)(ii), transmission encryption: given a PEM certificate and key ({@code CCM_TLS_CERT},
 * {@code CCM_TLS_KEY}), the service speaks HTTPS only, with TLS 1.3 or 1.2, and a token {@code mint-token} made works
 * over it. The certificate is self-signed, for localhost, written as the PEM files an operator
 * gives.
 * <p>
 * The service runs in an application context of its own (as {@code ConfiguredDeploymentHttpTest} explains).
 */
class ServerTlsHttpTest {

    private static final Path DIR = Path.of("target/server-tls-test");
    private static ConfigurableApplicationContext service;
    private static int port;
    private static SSLContext trustingTheCertificate;

    @BeforeAll
    static void startTheServiceOnHttps() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(DIR, "server");
        trustingTheCertificate = certificate.trustingIt();

        // as command-line arguments: they outrank application.yml, default properties would not
        service = new SpringApplicationBuilder(CcmLedgerApplication.class).run(
                "--server.port=0", "--spring.main.banner-mode=off",
                "--ccm.mongo.embedded.backend=memory", "--ccm.integrity.digest-interval=0",
                "--ccm.mongo.embedded.data-dir=" + DIR.resolve("data"),
                "--ccm.tls.certificate=" + certificate.certificateFile().toAbsolutePath(),
                "--ccm.tls.private-key=" + certificate.keyFile().toAbsolutePath());
        port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static HttpResponse<String> get(String protocol, String path, String bearer) throws Exception {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {protocol});
        HttpClient client = HttpClient.newBuilder().sslContext(trustingTheCertificate).sslParameters(parameters)
                                      .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                                                 .timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("Over TLS 1.3 and over TLS 1.2 the service answers, with HSTS")
    void httpsAnswersOverTls13And12WithHsts() throws Exception {
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            HttpResponse<String> response = get(protocol, "/actuator/health", null);
            assertThat(response.statusCode()).as(protocol).isEqualTo(200);
            assertThat(response.sslSession()).as(protocol).get()
                                             .extracting(session -> session.getProtocol()).isEqualTo(protocol);
            assertThat(response.headers().firstValue("Strict-Transport-Security"))
                    .as(protocol).hasValue("max-age=31536000; includeSubDomains");
        }
    }

    @Test
    @DisplayName("A token mint-token made opens the API over HTTPS; without one, 401")
    void aMintedTokenWorksOverHttps() throws Exception {
        String token = new TestTokens(DIR.resolve("data")).mint("nurse-tls", TestTokens.ALL_ROLES, "tls");
        assertThat(get("TLSv1.3", "/api/v1/practices/tls/patients/pt-none", token).statusCode())
                .as("authenticated: the patient is not found").isEqualTo(404);
        assertThat(get("TLSv1.3", "/api/v1/practices/tls/patients/pt-none", null).statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("The console's session cookie is Secure over HTTPS")
    void theConsoleCookieIsSecure() throws Exception {
        HttpResponse<String> signIn = get("TLSv1.3", "/console/sign-in", null);
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.headers().allValues("Set-Cookie")).anySatisfy(
                cookie -> assertThat(cookie).startsWith("CCM_CONSOLE=").containsIgnoringCase("; Secure"));
    }

    @Test
    @DisplayName("Over TLS too, a client still sending when its request line is refused reads the 414 and a clean close")
    void aRefusedClientStillSendingReadsTheRefusalOverTls() throws Exception {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) trustingTheCertificate.getSocketFactory()
                                                                                         .createSocket("localhost",
                                                                                                       port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/practices/tls/patients/" + "a".repeat(5000) + "/death HTTP/1.1\r\n"
                       + "Host: localhost\r\nContent-Type: application/json\r\nContent-Length: 24576\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] status = socket.getInputStream().readNBytes(12);
            assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 414");
            // closed at once, the connection would answer with a reset and the next write would fail
            StillSending.sendParts(out, 3, 8192);
            // the rest of the problem, then TLS's close_notify: the end of the stream, not an error
            String rest = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(rest).contains("application/problem+json").contains("\"status\":414");
        }
    }

    @Test
    @DisplayName("Plain HTTP to the port gets no HTTP answer")
    void plainHttpIsNotServed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] answer;
            try {
                answer = socket.getInputStream().readNBytes(5);
            } catch (IOException reset) {
                answer = new byte[0];
            }
            assertThat(new String(answer, StandardCharsets.US_ASCII)).doesNotStartWith("HTTP/");
        }
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                                                              + "/actuator/health"))
                                                       .timeout(Duration.ofSeconds(30)).build(),
                                            HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    @DisplayName("A client offering only TLS 1.1 or 1.0 is refused in the handshake; TLS 1.2 from the same client works")
    void tls11And10AreRefused() throws Exception {
        Assumptions.assumeTrue(opensslAvailable(), "openssl is needed as a client that still speaks TLS 1.1");
        // SECLEVEL=0: the client side allows the old protocols, so a refusal can only come from the service
        assertThat(handshake("-tls1_2")).as("the same client over TLS 1.2")
                                     .containsPattern("New, TLSv1\\.2, Cipher is [A-Z]");
        for (String old : List.of("-tls1_1", "-tls1")) {
            String output = handshake(old);
            assertThat(output).as(old).contains("New, (NONE), Cipher is (NONE)").contains("alert protocol version");
        }
    }

    private static String handshake(String protocolFlag) throws Exception {
        Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                                            "-servername", "localhost", protocolFlag, "-cipher", "DEFAULT@SECLEVEL=0")
                .redirectErrorStream(true).start();
        client.getOutputStream().close();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        client.waitFor(60, TimeUnit.SECONDS);
        return output;
    }

    private static boolean opensslAvailable() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    @DisplayName("A certificate without its key (or a key without its certificate) stops the service at start")
    void halfATlsConfigurationRefusesToStart() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(CcmLedgerApplication.class).run(
                "--server.port=0", "--spring.main.banner-mode=off", "--ccm.mongo.embedded.backend=memory",
                "--ccm.tls.certificate=" + DIR.resolve("server.crt").toAbsolutePath()))
                .hasStackTraceContaining("TLS needs both a certificate and its private key")
                .hasStackTraceContaining("CCM_TLS_KEY (ccm.tls.private-key) is missing");
    }
}
