package org.ccmledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** A console session driven over HTTP: the cookie and the CSRF token a browser would hold. */
final class ConsoleSession {

    static final String COOKIE = "CCM_CONSOLE";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final WebTestClient client;
    private String session;

    ConsoleSession(WebTestClient client) {
        this.client = client;
    }

    /** Signs in through the development sign-in form; the session id changes on sign-in. */
    ConsoleSession signIn(String user, String role, String practice) {
        var page = client.get().uri("/console/sign-in").exchange().expectStatus().isOk()
                         .returnResult(String.class);
        ResponseCookie first = page.getResponseCookies().getFirst(COOKIE);
        assertThat(first).isNotNull();
        session = first.getValue();
        String token = csrf(String.join("", page.getResponseBody().collectList().block()));
        var signedIn = client.post().uri("/console/sign-in").cookie(COOKIE, session)
                             .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                             .body(BodyInserters.fromFormData("user", user).with("role", role)
                                                .with("practice", practice).with("_csrf", token))
                             .exchange().expectStatus().is3xxRedirection().returnResult(Void.class);
        ResponseCookie renewed = signedIn.getResponseCookies().getFirst(COOKIE);
        assertThat(renewed).as("a new session id on sign-in").isNotNull();
        assertThat(renewed.getValue()).isNotEqualTo(session);
        session = renewed.getValue();
        return this;
    }

    String session() {
        return session;
    }

    WebTestClient.ResponseSpec get(String path) {
        return client.get().uri(path).cookie(COOKIE, session).exchange();
    }

    String page(String path) {
        return get(path).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    /** Posts a form of the page at {@code pagePath}, with its CSRF token. */
    WebTestClient.ResponseSpec post(String pagePath, String path, String... fields) {
        String token = csrf(page(pagePath));
        var form = BodyInserters.fromFormData("_csrf", token);
        for (int i = 0; i < fields.length; i += 2) {
            form = form.with(fields[i], fields[i + 1]);
        }
        return client.post().uri(path).cookie(COOKIE, session).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                     .body(form).exchange();
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF token in the page").isTrue();
        return m.group(1);
    }
}
