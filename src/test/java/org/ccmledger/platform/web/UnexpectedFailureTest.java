package org.ccmledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/** A failure nothing maps is a 500 problem that names neither the path nor the exception's message, nor logs them. */
@ExtendWith(OutputCaptureExtension.class)
class UnexpectedFailureTest {

    @Test
    @DisplayName("An unexpected exception: 500 problem without the patient's path or the message, logged by class only")
    void anUnexpectedFailureNamesNothing(CapturedOutput output) {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.post("/api/v1/practices/p1/patients/pt-canary-77/care-minutes"));
        ResponseEntity<Object> answer = new ProblemResponses()
                .unexpected(new NullPointerException("entry of pt-canary-77 has no performer"), exchange).block();

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        ProblemDetail problem = (ProblemDetail) answer.getBody();
        assertThat(problem.getDetail()).isEqualTo("internal error");
        assertThat(String.valueOf(problem.getInstance())).doesNotContain("pt-canary-77");
        assertThat(output.getAll()).contains("NullPointerException").doesNotContain("pt-canary-77");
    }

    @Test
    @DisplayName("A framework answer such as 405 keeps its own status")
    void aFrameworkAnswerKeepsItsStatus() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x"));
        ResponseEntity<Object> answer = new ProblemResponses().unexpected(
                new org.springframework.web.server.MethodNotAllowedException("DELETE", java.util.List.of()),
                exchange).block();
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
    }
}
