package org.ccmledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** The examples the recorder keeps of success answers: whole when small, cut at a boundary or trimmed when not. */
class ExchangeRecorderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode example(String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ExchangeRecorder.example(MediaType.parseMediaType(type), bytes, bytes.length);
    }

    @Test
    void aSmallJsonAnswerIsKeptWhole() throws Exception {
        ObjectNode example = example("application/json", "{\"patientId\":\"pt-1\"}");
        assertThat(example.path("trimmed").asBoolean()).isFalse();
        assertThat(example.path("value")).isEqualTo(JSON.readTree("{\"patientId\":\"pt-1\"}"));
    }

    @Test
    void aLargeJsonAnswerIsTrimmedToValidJsonAndSaysSo() {
        StringBuilder rows = new StringBuilder("{\"total\":400,\"rows\":[");
        for (int i = 0; i < 400; i++) {
            rows.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append(",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}");
        }
        ObjectNode example = example("application/fhir+json", rows.append("]}").toString());
        JsonNode value = example.path("value");
        assertThat(value.path("total").asInt()).isEqualTo(400);
        assertThat(value.path("rows").size()).isBetween(1, 3);
        assertThat(value.at("/rows/0/tags").size()).isEqualTo(value.path("rows").size());
        assertThat(value.toString().length()).isLessThanOrEqualTo(ExchangeRecorder.EXAMPLE_LIMIT);
        assertThat(example.path("trimmed").asBoolean()).isTrue();
        assertThat(example.path("summary").asText()).contains("trimmed").contains("first");
    }

    @Test
    void aLongStreamIsCutAfterAWholeLine() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            lines.append("{\"globalIndex\":").append(i).append(",\"type\":\"CareMinutesLogged\"}\n");
        }
        ObjectNode example = example("application/x-ndjson", lines.toString());
        String kept = example.path("value").asText();
        assertThat(kept).endsWith("}\n").startsWith("{\"globalIndex\":0,");
        assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ExchangeRecorder.EXAMPLE_LIMIT);
        long count = kept.chars().filter(c -> c == '\n').count();
        assertThat(example.path("summary").asText()).contains("the first " + count + " lines");
        kept.lines().forEach(line -> assertThat(line)
                .matches("\\{\"globalIndex\":\\d+,\"type\":\"CareMinutesLogged\"}"));
    }

    @Test
    void anX12InterchangeIsCutAfterASegment() {
        StringBuilder segments = new StringBuilder("ISA*00*          *00~");
        for (int i = 0; i < 200; i++) {
            segments.append("SV1*HC:99490*62.00*UN*1***1~");
        }
        String kept = example("application/edi-x12", segments.toString()).path("value").asText();
        assertThat(kept).startsWith("ISA*00*").endsWith("*1~");
        assertThat(kept.length()).isLessThanOrEqualTo(ExchangeRecorder.EXAMPLE_LIMIT);
    }

    @Test
    void aBinaryAnswerIsDescribedNotShown() {
        byte[] pdf = "%PDF-1.7\n\u00e2\u00e3binary".getBytes(StandardCharsets.ISO_8859_1);
        ObjectNode example = ExchangeRecorder.example(MediaType.APPLICATION_PDF, pdf, 12_345);
        assertThat(example.has("value")).isFalse();
        assertThat(example.path("description").asText()).contains("12345 bytes").contains("`%PDF-1.7`")
                                                        .contains("binary");
    }
}
