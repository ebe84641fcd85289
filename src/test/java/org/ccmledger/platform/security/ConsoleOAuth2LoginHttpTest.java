package org.ccmledger.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.ccmledger.CcmLedgerApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The console's sign-in at a configured identity provider, end to end over HTTP against a small OpenID provider of
 * this test (discovery, JWKS, authorize, token): authorization code with PKCE S256, state and nonce; the ID token's
 * claims become the caller the console's policy decides for; a wrong nonce, a code verifier the provider does not
 * accept, a forged state or a token without a usable user sign nobody in; the development sign-in stays refused.
 * <p>
 * The service runs in an application context of its own, as in {@link ConfiguredDeploymentHttpTest}.
 */
class ConsoleOAuth2LoginHttpTest {

    private static final String CLIENT_ID = "ccm-console";
    private static final RSAKey KEY = generate();
    private static final FakeProvider IDP = new FakeProvider();

    private static ConfigurableApplicationContext service;
    private static String base;

    @BeforeAll
    static void startTheService() {
        service = new SpringApplicationBuilder(CcmLedgerApplication.class).run(
                "--server.port=0", "--spring.main.banner-mode=off",
                "--ccm.mongo.embedded.backend=memory", "--ccm.integrity.digest-interval=0",
                "--ccm.mongo.embedded.data-dir=target/console-oauth2-test-data",
                "--ccm.security.issuer-uri=" + IDP.issuer,
                "--ccm.security.jwk-set-uri=" + IDP.issuer + "/jwks",
                "--ccm.security.audience=ccm-ledger",
                "--ccm.security.user-claim=preferred_username",
                "--ccm.security.roles-claim=groups",
                "--ccm.security.practices-claim=ccm_practices",
                "--ccm.console.oauth2.client-id=" + CLIENT_ID,
                "--ccm.console.oauth2.scopes=profile");
        base = "http://localhost:" + service.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        IDP.server.stop(0);
    }

    @Test
    @DisplayName("Code flow with PKCE S256, state and nonce: signed in with the token's user, roles and practices")
    void signsInAtTheProvider() throws Exception {
        Browser browser = new Browser();
        assertThat(browser.get("/console").headers().firstValue("Location")).hasValue("/console/sign-in");
        String signInPage = browser.get("/console/sign-in").body();
        assertThat(signInPage).contains("href=\"/console/sign-in/oauth2/provider\"").doesNotContain("dev-warning");
        URI authorize = browser.redirect(browser.get("/console/sign-in/oauth2/provider"));
        String before = browser.session();
        assertThat(before).as("the session that holds the authorization request").isNotNull();
        assertThat(authorize.toString()).startsWith(IDP.issuer + "/authorize?");
        Map<String, String> asked = query(authorize);
        assertThat(asked).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
                         .containsEntry("code_challenge_method", "S256")
                         .containsEntry("redirect_uri", base + "/console/sign-in/oauth2/code/provider");
        assertThat(asked.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(asked.get("state")).isNotBlank();
        assertThat(asked.get("nonce")).isNotBlank();
        assertThat(asked.get("scope").split(" ")).contains("openid", "profile");

        IDP.signsIn(IDP.user("jdoe", List.of("compliance-officer", "staff"), List.of("hosp-1")));
        URI callback = browser.redirect(browser.at(authorize));
        assertThat(callback.toString()).startsWith(base + "/console/sign-in/oauth2/code/provider?code=");
        assertThat(browser.redirect(browser.at(callback)).toString()).isEqualTo("/console");
        assertThat(IDP.verifiedChallenges).as("the token request proved the PKCE challenge").contains(
                asked.get("code_challenge"));
        assertThat(browser.session()).as("signing in changes the session id").isNotEqualTo(before);

        HttpResponse<String> home = browser.get("/console");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("<strong>jdoe</strong>").contains("compliance-officer")
                               .contains("for <span>hosp-1</span>")
                               .as("no development marking").doesNotContain("Development sign-in");
        assertThat(browser.get("/console/practices/hosp-2/months/2026-01").statusCode())
                .as("another practice's page").isEqualTo(403);
        assertThat(browser.get("/console/ledger").statusCode()).as("a page the role does not open").isEqualTo(403);

        // the development sign-in stays refused, signed in or not
        String csrf = csrf(home.body());
        assertThat(browser.post("/console/sign-in", "_csrf=" + enc(csrf) + "&user=admin-1&role=platform-admin")
                          .statusCode()).isEqualTo(403);

        HttpResponse<String> out = browser.post("/console/sign-out", "_csrf=" + enc(csrf));
        assertThat(browser.redirect(out).toString()).isEqualTo("/console/sign-in");
        assertThat(browser.get("/console").statusCode()).as("signed out").isEqualTo(302);
    }

    @Test
    @DisplayName("In a real browser: the provider's link, its redirects and back to the console, signed in")
    void signsInThroughARealBrowser() {
        int port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
        try (org.ccmledger.console.Browser chromium = new org.ccmledger.console.Browser(port)) {
            chromium.open("/console");
            assertThat(chromium.driver().getCurrentUrl()).endsWith("/console/sign-in");
            assertThat(chromium.driver().findElements(org.openqa.selenium.By.id("dev-warning")))
                    .as("no development sign-in beside a provider").isEmpty();
            chromium.screenshot("00-sign-in-provider");
            assertThat(chromium.seriousAccessibilityViolations()).isEmpty();
            int proved = IDP.verifiedChallenges.size();
            IDP.signsIn(IDP.user("mroe", List.of("billing"), List.of("hosp-3")));
            chromium.clickAndWait("a[href='/console/sign-in/oauth2/provider']");
            chromium.await(d -> d.getCurrentUrl().endsWith("/console"));
            assertThat(chromium.find("header .who").getText()).contains("mroe").contains("billing")
                                                              .contains("hosp-3");
            assertThat(IDP.verifiedChallenges).as("the browser's round trip proved a PKCE challenge")
                                              .hasSizeGreaterThan(proved);
            chromium.open("/console/practices/hosp-3/months/2026-01");
            assertThat(chromium.find("h1").getText()).contains("hosp-3");
        }
    }

    @Test
    @DisplayName("A wrong nonce, a code verifier the provider refuses, a forged state, no usable user: not signed in")
    void aSignInThatDoesNotCheckOutSignsNobodyIn() throws Exception {
        for (String fault : List.of("nonce", "verifier", "state", "user")) {
            Browser browser = new Browser();
            URI authorize = browser.redirect(browser.get("/console/sign-in/oauth2/provider"));
            FakeProvider.Grant grant = IDP.user(fault.equals("user") ? "not a user id!" : "jdoe",
                                                List.of("compliance-officer"), List.of("hosp-1"));
            grant.wrongNonce = fault.equals("nonce");
            grant.wrongChallenge = fault.equals("verifier");
            IDP.signsIn(grant);
            URI callback = browser.redirect(browser.at(authorize));
            if (fault.equals("state")) {
                callback = URI.create(callback.toString().replaceAll("state=[^&]*", "state=forged"));
            }
            assertThat(browser.redirect(browser.at(callback)).toString()).as(fault)
                    .isEqualTo("/console/sign-in?failed");
            assertThat(browser.get("/console").headers().firstValue("Location")).as(fault)
                    .hasValue("/console/sign-in");
            assertThat(browser.get("/console/sign-in?failed").body()).as(fault)
                    .contains("did not complete");
        }
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                       URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("console-idp-1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A browser that keeps cookies and follows no redirect by itself. */
    private static final class Browser {

        private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
                                                    .followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> get(String path) throws Exception {
            return at(URI.create(base + path));
        }

        HttpResponse<String> at(URI uri) throws Exception {
            return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String form) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create(base + path))
                                          .header("Content-Type", "application/x-www-form-urlencoded")
                                          .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                               HttpResponse.BodyHandlers.ofString());
        }

        URI redirect(HttpResponse<String> response) {
            assertThat(response.statusCode()).as("a redirect from " + response.uri()).isBetween(300, 399);
            return URI.create(response.headers().firstValue("Location").orElseThrow());
        }

        String session() {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("CCM_CONSOLE"))
                          .map(HttpCookie::getValue).findFirst().orElse(null);
        }
    }

    /**
     * A minimal OpenID provider: discovery, its key, an authorize endpoint that signs in whoever the test names and
     * sends the browser back with a code, and a token endpoint that checks the code's PKCE verifier (S256) before it
     * answers with a signed ID token carrying the nonce it was asked for.
     */
    private static final class FakeProvider {

        final HttpServer server;
        final String issuer;
        final List<String> verifiedChallenges = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Map<String, Grant> codes = new ConcurrentHashMap<>();

        FakeProvider() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            issuer = "http://127.0.0.1:" + server.getAddress().getPort();
            server.createContext("/.well-known/openid-configuration", exchange -> json(exchange, 200, """
                    {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                     "jwks_uri":"%1$s/jwks","response_types_supported":["code"],"subject_types_supported":["public"],
                     "id_token_signing_alg_values_supported":["RS256"],"code_challenge_methods_supported":["S256"],
                     "token_endpoint_auth_methods_supported":["none","client_secret_basic"],
                     "scopes_supported":["openid","profile"]}""".formatted(issuer)));
            server.createContext("/jwks", exchange -> json(exchange, 200,
                                                           new JWKSet(KEY.toPublicJWK()).toString()));
            server.createContext("/token", this::token);
            server.createContext("/authorize", this::authorize);
            server.start();
        }

        private volatile Grant next;

        Grant user(String user, List<String> groups, List<String> practices) {
            return new Grant(user, groups, practices);
        }

        /** The user the next authorize request signs in (as if they had entered their password there). */
        void signsIn(Grant grant) {
            next = grant;
        }

        /** The authorize endpoint, once the user signed in there: back to the client with a code and its state. */
        private void authorize(HttpExchange exchange) throws IOException {
            Grant grant = next;
            next = null;
            if (grant == null) {
                json(exchange, 400, "{\"error\":\"access_denied\"}");
                return;
            }
            exchange.getResponseHeaders().set("Location", grant.authorize(exchange.getRequestURI()).toString());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        }

        final class Grant {
            final String user;
            final List<String> groups;
            final List<String> practices;
            boolean wrongNonce;
            boolean wrongChallenge;
            Map<String, String> asked;

            Grant(String user, List<String> groups, List<String> practices) {
                this.user = user;
                this.groups = groups;
                this.practices = practices;
            }

            /** Where the authorize endpoint sends the browser back: the redirect URI with a code and the state. */
            URI authorize(URI request) {
                asked = query(request);
                String code = UUID.randomUUID().toString();
                codes.put(code, this);
                return URI.create(asked.get("redirect_uri") + "?code=" + code + "&state="
                                  + URLEncoder.encode(asked.get("state"), StandardCharsets.UTF_8));
            }
        }

        private void token(HttpExchange exchange) throws IOException {
            Map<String, String> form = new LinkedHashMap<>();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                         URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            Grant grant = codes.remove(form.getOrDefault("code", ""));
            if (grant == null || !"authorization_code".equals(form.get("grant_type"))
                || !CLIENT_ID.equals(form.get("client_id"))
                || !grant.asked.get("redirect_uri").equals(form.get("redirect_uri"))) {
                json(exchange, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
            String challenge = grant.wrongChallenge ? "a-challenge-this-verifier-does-not-meet"
                    : grant.asked.get("code_challenge");
            if (form.get("code_verifier") == null || !s256(form.get("code_verifier")).equals(challenge)) {
                json(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE\"}");
                return;
            }
            verifiedChallenges.add(challenge);
            String nonce = grant.wrongNonce ? "another-nonce" : grant.asked.get("nonce");
            json(exchange, 200, "{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":300,\"scope\":\"openid profile\",\"id_token\":\""
                                + idToken(grant, nonce) + "\"}");
        }

        private String idToken(Grant grant, String nonce) {
            try {
                JWTClaimsSet claims = new JWTClaimsSet.Builder()
                        .issuer(issuer).audience(CLIENT_ID).subject("uuid-" + grant.user.hashCode())
                        .claim("preferred_username", grant.user).claim("groups", grant.groups)
                        .claim("ccm_practices", grant.practices).claim("nonce", nonce)
                        .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID())
                                                                                        .build(), claims);
                jwt.sign(new RSASSASigner(KEY));
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static String s256(String verifier) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                                             .digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void json(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }
    }
}
