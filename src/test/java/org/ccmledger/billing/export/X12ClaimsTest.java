package org.ccmledger.billing.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.xlate.edi.schema.Schema;
import io.xlate.edi.schema.SchemaFactory;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;

class X12ClaimsTest {

    private static final YearMonth APRIL = YearMonth.of(2026, 4);
    private static final X12Envelope ENVELOPE = new X12Envelope("CCMLEDGER", "MAC-J15", 42,
                                                                LocalDate.of(2026, 5, 2), LocalTime.of(7, 30));
    private static Schema transactionSchema;

    @BeforeAll
    static void loadTheTransactionSchema() throws Exception {
        try (InputStream xml = X12ClaimsTest.class.getResourceAsStream("/x12/837P-claims-feed.xml")) {
            transactionSchema = SchemaFactory.newFactory().createSchema(xml);
        }
    }

    private final Claim original = new Claim("CLM-P1-PT7-2026-04", Claim.Frequency.ORIGINAL, null, "practice-1",
            "pt-7", "1234567893", APRIL, "11", List.of("E11.9", "I10", "N18.30"),
            List.of(new Claim.Item("L1", 1, "99490", 1, new BigDecimal("60.49"), APRIL.atEndOfMonth(), List.of(1, 2)),
                    new Claim.Item("L2", 2, "99439", 2, new BigDecimal("45.50"), APRIL.atEndOfMonth(),
                                   List.of(2, 3, 1)),
                    new Claim.Item("L3", 3, "G0506", 1, new BigDecimal("64.00"), APRIL.atDay(9), List.of(1))));
    private final Claim replacement = new Claim("CLM-P1-PT7-2026-04-A1", Claim.Frequency.REPLACEMENT,
            "CLM-P1-PT7-2026-04", "practice-1", "pt-7", "1234567893", APRIL, "11", List.of("E119"),
            List.of(new Claim.Item("L1", 1, "99491", 1, new BigDecimal("82.16"), APRIL.atEndOfMonth(), List.of(1))));
    private final Claim otherPractitioner = new Claim("CLM-P1-PT9-2026-04", Claim.Frequency.ORIGINAL, null,
            "practice-1", "pt-9", "1098765438", APRIL, "02", List.of("J44.9"),
            List.of(new Claim.Item("L1", 1, "99487", 1, new BigDecimal("131.65"), APRIL.atEndOfMonth(), List.of(1))));

    @Test
    @DisplayName("StAEDI reads the interchange back with no error: envelope, counts, and the 837 segment order")
    void readsBackWithoutErrors() {
        Read read = read(write837P(original, replacement, otherPractitioner));

        assertThat(read.errors()).isEmpty();
        assertThat(read.segment("ISA").elements()).containsExactly("00", "          ", "00", "          ", "ZZ",
                "CCMLEDGER      ", "ZZ", "MAC-J15        ", "260502", "0730", "^", "00501", "000000042", "0", "P",
                ":");
        assertThat(read.segment("GS").elements()).containsExactly("HC", "CCMLEDGER", "MAC-J15", "20260502", "0730",
                                                                  "42", "X", "005010X222A1");
        assertThat(read.segment("ST").elements()).containsExactly("837", "0001", "005010X222A1");
        assertThat(read.segment("BHT").elements()).containsExactly("0019", "00", "42", "20260502", "0730", "CH");
        assertThat(read.all("NM1")).extracting(s -> s.element(1) + " " + s.element(8) + " " + s.element(9))
                .containsExactly("41 46 CCMLEDGER", "40 46 MAC-J15", "85 XX 1234567893", "IL MI pt-7",
                                 "85 XX 1098765438", "IL MI pt-9");
        assertThat(read.all("HL")).extracting(s -> String.join("*", s.elements()))
                .containsExactly("1**20*1", "2*1*22*0", "3**20*1", "4*3*22*0");
        assertThat(read.all("SBR")).allSatisfy(s -> assertThat(s.element(9)).isEqualTo("MB"));
        assertThat(read.loops()).containsSubsequence("1000", "1000", "2000", "2010", "2000", "2010", "2300", "2400");
        assertThat(read.segment("GE").elements()).containsExactly("1", "42");
        assertThat(read.segment("IEA").elements()).containsExactly("1", "000000042");
    }

    @Test
    @DisplayName("SE counts the segments of the transaction set, ST and SE included")
    void seCountsTheSegments() {
        Read read = read(write837P(original, replacement, otherPractitioner));

        int st = read.segments().indexOf(read.segment("ST"));
        int se = read.segments().indexOf(read.segment("SE"));
        assertThat(read.segment("SE").elements()).containsExactly(Integer.toString(se - st + 1), "0001");
    }

    @Test
    @DisplayName("R5, R13: each line's code, charge, units and diagnosis pointers; place of service in CLM05")
    void serviceLines() {
        Read read = read(write837P(original));

        assertThat(read.all("SV1")).extracting(s -> String.join("*", s.elements()))
                .containsExactly("HC:99490*60.49*UN*1***1:2", "HC:99439*91*UN*2***2:3:1", "HC:G0506*64*UN*1***1");
        assertThat(read.all("LX")).extracting(s -> s.element(1)).containsExactly("1", "2", "3");
        Segment clm = read.segment("CLM");
        assertThat(clm.elements()).containsExactly("CLM-P1-PT7-2026-04", "215.49", "", "", "11:B:1", "Y", "A", "Y",
                                                   "Y");
        assertThat(read.all("REF")).isEmpty();
    }

    @Test
    @DisplayName("HI: the principal diagnosis ABK, then ABF, ICD-10-CM without the dot, in pointer order")
    void diagnoses() {
        Read read = read(write837P(original));

        assertThat(read.segment("HI").elements()).containsExactly("ABK:E119", "ABF:I10", "ABF:N1830");
    }

    @Test
    @DisplayName("R12: every line has its date of service in DTP*472")
    void datesOfService() {
        Read read = read(write837P(original));

        assertThat(read.all("DTP")).extracting(s -> String.join("*", s.elements()))
                .containsExactly("472*D8*20260430", "472*D8*20260430", "472*D8*20260409");
    }

    @Test
    @DisplayName("P4: a replacement has frequency 7 in CLM05 and names the claim it replaces in REF*F8")
    void replacementHasFrequency7AndNamesTheOriginal() {
        Read read = read(write837P(replacement));

        assertThat(read.errors()).isEmpty();
        assertThat(read.segment("CLM").element(5)).isEqualTo("11:B:7");
        assertThat(read.segment("REF").elements()).containsExactly("F8", "CLM-P1-PT7-2026-04");
        int ref = read.segments().indexOf(read.segment("REF"));
        assertThat(read.segments().get(ref + 1).tag()).isEqualTo("HI");
    }

    @Test
    @DisplayName("an unknown charge is refused, naming the claim and code, never written as 0")
    void unknownAmountIsRefused() {
        Claim unpriced = new Claim("CLM-P1-PT8-2026-04", Claim.Frequency.ORIGINAL, null, "practice-1",
                "patient-secret-8", "1234567893", APRIL, "11", List.of("I10"),
                List.of(new Claim.Item("L1", 1, "99439", 1, null, APRIL.atEndOfMonth(), List.of(1))));

        assertThatThrownBy(() -> X12Claims.write837P(List.of(original, unpriced), ENVELOPE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("X12 needs a charge amount; set it in the fee data")
                .hasMessageContaining("CLM-P1-PT8-2026-04")
                .hasMessageContaining("99439")
                .hasMessageNotContaining("patient-secret-8");
    }

    @Test
    @DisplayName("a pointer past the diagnoses is refused")
    void danglingPointerIsRefused() {
        Claim dangling = new Claim("CLM-P1-PT8-2026-04", Claim.Frequency.ORIGINAL, null, "practice-1", "pt-8",
                "1234567893", APRIL, "11", List.of("I10"),
                List.of(new Claim.Item("L1", 1, "99490", 1, BigDecimal.TEN, APRIL.atEndOfMonth(), List.of(2))));

        assertThatThrownBy(() -> X12Claims.write837P(List.of(dangling), ENVELOPE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CLM-P1-PT8-2026-04");
    }

    @Test
    @DisplayName("the same claims in the same envelope give the same interchange: no clock")
    void deterministic() {
        assertThat(write837P(original, replacement)).isEqualTo(write837P(original, replacement));
    }

    @Test
    @DisplayName("the reader's checks are live: a wrong SE count and a segment out of order are reported")
    void theReaderCatchesMistakes() {
        String x12 = write837P(replacement);
        String wrongCount = x12.replaceFirst("SE\\*\\d+\\*", "SE*99*");
        String outOfOrder = x12.replaceFirst("(REF\\*F8\\*[^~]*~)(HI\\*[^~]*~)", "$2$1");

        assertThat(outOfOrder).isNotEqualTo(x12);
        assertThat(read(wrongCount).errors()).isNotEmpty();
        assertThat(read(outOfOrder).errors()).isNotEmpty();
    }

    private static String write837P(Claim... claims) {
        return X12Claims.write837P(List.of(claims), ENVELOPE);
    }

    record Segment(String tag, List<String> elements) {
        String element(int position) {
            return position <= elements.size() ? elements.get(position - 1) : "";
        }
    }

    record Read(List<Segment> segments, List<String> loops, List<String> errors) {
        Segment segment(String tag) {
            List<Segment> found = all(tag);
            assertThat(found).as("segments " + tag).hasSize(1);
            return found.get(0);
        }

        List<Segment> all(String tag) {
            return segments.stream().filter(s -> s.tag().equals(tag)).toList();
        }
    }

    /**
     * Reads an interchange with StAEDI: the control structure is checked by default, the transaction set against
     * {@code x12/837P-claims-feed.xml}. Composite elements come back joined with {@code :}.
     */
    private static Read read(String x12) {
        List<Segment> segments = new ArrayList<>();
        List<String> loops = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try (EDIStreamReader reader = EDIInputFactory.newFactory()
                .createEDIStreamReader(new ByteArrayInputStream(x12.getBytes(StandardCharsets.UTF_8)))) {
            String tag = null;
            TreeMap<Integer, TreeMap<Integer, String>> elements = new TreeMap<>();
            while (reader.hasNext()) {
                EDIStreamEvent event = reader.next();
                switch (event) {
                    case START_TRANSACTION -> reader.setTransactionSchema(transactionSchema);
                    case START_LOOP -> loops.add(reader.getReferenceCode());
                    case START_SEGMENT -> {
                        tag = reader.getText();
                        elements = new TreeMap<>();
                    }
                    case ELEMENT_DATA -> elements
                            .computeIfAbsent(reader.getLocation().getElementPosition(), p -> new TreeMap<>())
                            .put(Math.max(reader.getLocation().getComponentPosition(), 1), reader.getText());
                    case END_SEGMENT -> segments.add(new Segment(tag, joined(elements)));
                    case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR -> errors.add(
                            event + " " + reader.getErrorType() + " at " + reader.getLocation().getSegmentTag()
                            + " " + reader.getLocation().getElementPosition() + " (segment "
                            + reader.getLocation().getSegmentPosition() + ")");
                    default -> {
                    }
                }
            }
        } catch (Exception e) {
            errors.add("unreadable: " + e);
        }
        return new Read(segments, loops, errors);
    }

    private static List<String> joined(TreeMap<Integer, TreeMap<Integer, String>> elements) {
        List<String> values = new ArrayList<>();
        int last = elements.isEmpty() ? 0 : elements.lastKey();
        for (int position = 1; position <= last; position++) {
            TreeMap<Integer, String> components = elements.getOrDefault(position, new TreeMap<>());
            List<String> parts = new ArrayList<>();
            int lastComponent = components.isEmpty() ? 0 : components.lastKey();
            for (int c = 1; c <= lastComponent; c++) {
                parts.add(components.getOrDefault(c, ""));
            }
            values.add(String.join(":", parts));
        }
        return values;
    }
}
