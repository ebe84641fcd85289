package org.ccmledger.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;

class CanonicalTimesTest {

    private static final ObjectMapper WITH = LedgerJson.mapper();

    /** Jackson's Java time module alone, configured for dates as the ledger's mapper is: what every value reads as. */
    private static ObjectMapper jacksonAlone() {
        return new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                                 .disable(com.fasterxml.jackson.databind.DeserializationFeature
                                                  .ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }

    @Test
    void theLedgersMapperReadsInstantsAndDatesThroughTheFastPath() throws Exception {
        DeserializationContext context = ((DefaultDeserializationContext) WITH.getDeserializationContext())
                .createDummyInstance(WITH.getDeserializationConfig());
        assertThat(context.findRootValueDeserializer(WITH.constructType(Instant.class)).getClass().getName())
                .contains("CanonicalTimes");
        assertThat(context.findRootValueDeserializer(WITH.constructType(LocalDate.class)).getClass().getName())
                .contains("CanonicalTimes");
        assertThat(context.findRootValueDeserializer(WITH.constructType(java.time.YearMonth.class)).getClass()
                          .getName()).contains("CanonicalTimes");
    }

    @Test
    void everyTextReadsAsJacksonReadsItOrIsRefusedAsJacksonRefusesIt() throws Exception {
        ObjectMapper jackson = jacksonAlone();
        Random random = new Random(20261203);
        List<String> texts = new ArrayList<>(List.of(
                "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T12:00:00Z", "2024-03-04T24:00:00Z",
                "2016-12-31T23:59:60Z", "2024-03-04T15:00:00.Z", "2024-03-04T15:00:00.1234567890Z",
                "2024-03-04t15:00:00z", " 2024-03-04T15:00:00Z", "2024-03-04T15:00:00+00:00", "2024-03-04T15:00:00",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z",
                "1709564400", "1709564400.5", "", "2024-3-04T15:00:00Z", "2024-03-04T15:0a:00Z",
                "2024-13-01T00:00:00Z"));
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
                                               random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            String text = at.toString();
            if (random.nextInt(3) == 0 && at.getNano() != 0) {
                // a fraction of any length from one to nine digits, not only toString()'s 3, 6 or 9
                String nanos = "%09d".formatted(at.getNano()).substring(0, 1 + random.nextInt(9));
                text = text.substring(0, 19) + "." + nanos + "Z";
            }
            if (random.nextInt(4) == 0) {
                // one character replaced: most such texts are no instant at all
                char[] chars = text.toCharArray();
                chars[random.nextInt(chars.length)] = "0123456789:-.TZ tz+"
                        .charAt(random.nextInt(19));
                text = new String(chars);
            }
            texts.add(text);
        }
        int fast = 0;
        for (String text : texts) {
            String json = WITH.writeValueAsString(text);
            Object expected = read(jackson, json, Instant.class);
            assertThat(read(WITH, json, Instant.class)).as(text).isEqualTo(expected);
            if (org.ccmledger.ledger.CanonicalText.instant(text) != null) {
                fast++;
            }
            String day = text.length() >= 10 ? text.substring(0, 10) : text;
            String dayJson = WITH.writeValueAsString(day);
            assertThat(read(WITH, dayJson, LocalDate.class)).as(day).isEqualTo(read(jackson, dayJson, LocalDate.class));
            String month = text.length() >= 7 ? text.substring(0, 7) : text;
            String monthJson = WITH.writeValueAsString(month);
            assertThat(read(WITH, monthJson, java.time.YearMonth.class)).as(month)
                    .isEqualTo(read(jackson, monthJson, java.time.YearMonth.class));
        }
        // most of the texts took the fast path, so it is what was compared
        assertThat(fast).isGreaterThan(texts.size() / 2);
    }

    @Test
    void numbersAndFormatsOfAPropertyStillReadAsTheModuleReadsThem() throws Exception {
        assertThat(WITH.readValue("1709564400.5", Instant.class)).isEqualTo(Instant.ofEpochSecond(1709564400L,
                                                                                                 500_000_000));
        assertThat(WITH.readValue("{\"day\":\"04/03/2024\"}", Formatted.class).day)
                .isEqualTo(LocalDate.of(2024, 3, 4));
        assertThat(WITH.readValue("{\"day\":\"2024-03-04\"}", Plain.class).day).isEqualTo(LocalDate.of(2024, 3, 4));
    }

    static final class Formatted {
        @JsonFormat(pattern = "dd/MM/yyyy")
        LocalDate day;
    }

    static final class Plain {
        LocalDate day;
    }

    /** The value read, or the class of the exception that refused it. */
    private static Object read(ObjectMapper mapper, String json, Class<?> type) {
        try {
            return mapper.readValue(json, type);
        } catch (Exception refused) {
            return refused.getClass();
        }
    }
}
