package org.ccmledger.support;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import io.xlate.edi.schema.Schema;
import io.xlate.edi.schema.SchemaFactory;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;

/**
 * An 837P read back by a reader we did not write: StAEDI checks the envelope (its own X12 control schema) and the
 * transaction set against {@code src/test/resources/x12/837P-claims-feed.xml} (loops, order, occurrences, required
 * elements, lengths, code values); {@link #problems()} adds the cross-field rules of 005010X222A1 the schema cannot
 * state: SE counts its segments and repeats ST02, ST02 is unique, HL01 counts from 1 in each transaction set and HL02
 * names an earlier level, a transaction set holds at most 5,000 claims, CLM02 is the sum of its SV102, CLM01 is at most
 * 20 characters and unique, SV107 points to diagnoses the claim's HI has, REF*F8 stands exactly on frequencies 7 and 8,
 * GE/IEA count their contents.
 */
public final class X12Reading {

    private static final Schema SCHEMA = schema();

    /** A segment: its tag and elements, composites joined with {@code :}. */
    public record Segment(String tag, List<String> elements) {
        public String element(int position) {
            return position <= elements.size() ? elements.get(position - 1) : "";
        }
    }

    /** What the reader found: the segments, the loops StAEDI recognised, and its errors. */
    public record Read(List<Segment> segments, List<String> loops, List<String> errors) {

        public Segment segment(String tag) {
            List<Segment> found = all(tag);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + tag + ", found " + found.size());
            }
            return found.get(0);
        }

        public List<Segment> all(String tag) {
            return segments.stream().filter(s -> s.tag().equals(tag)).toList();
        }

        /** StAEDI's errors and every cross-field rule broken; empty for a valid interchange. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>(errors);
            int inTransaction = 0;
            int claimsInTransaction = 0;
            boolean counting = false;
            Set<String> transactionNumbers = new HashSet<>();
            String transactionNumber = null;
            Set<String> levels = new HashSet<>();
            for (Segment segment : segments) {
                if (segment.tag().equals("ST")) {
                    counting = true;
                    inTransaction = 0;
                    claimsInTransaction = 0;
                    transactionNumber = segment.element(2);
                    levels.clear();
                    if (!transactionNumbers.add(transactionNumber)) {
                        problems.add("ST02 " + transactionNumber + " is not unique in the group");
                    }
                }
                if (counting) {
                    inTransaction++;
                }
                if (segment.tag().equals("CLM")) {
                    claimsInTransaction++;
                }
                if (segment.tag().equals("HL")) {
                    // HL01 numbers the levels from 1 in each transaction set; HL02 names a level before it
                    if (!segment.element(1).equals(Integer.toString(levels.size() + 1))) {
                        problems.add("HL01 " + segment.element(1) + " after " + levels.size() + " levels");
                    }
                    if (!segment.element(2).isEmpty() && !levels.contains(segment.element(2))) {
                        problems.add("HL02 " + segment.element(2) + " names no level of its transaction set");
                    }
                    levels.add(segment.element(1));
                }
                if (segment.tag().equals("SE")) {
                    counting = false;
                    if (Integer.parseInt(segment.element(1)) != inTransaction) {
                        problems.add("SE01 " + segment.element(1) + " but the transaction has " + inTransaction);
                    }
                    if (!segment.element(2).equals(transactionNumber)) {
                        problems.add("SE02 " + segment.element(2) + " is not ST02 " + transactionNumber);
                    }
                    // 005010X222A1 recommends at most 5,000 claims in a transaction set; Medicare's contractors enforce it
                    if (claimsInTransaction > 5000) {
                        problems.add("transaction set " + transactionNumber + " holds " + claimsInTransaction
                                     + " claims, more than 5000");
                    }
                }
            }
            if (!segment("GE").element(1).equals(Integer.toString(all("ST").size()))) {
                problems.add("GE01 does not count the transaction sets");
            }
            if (!segment("IEA").element(1).equals(Integer.toString(all("GS").size()))) {
                problems.add("IEA01 does not count the groups");
            }
            if (!segment("ISA").element(13).equals(segment("IEA").element(2))) {
                problems.add("IEA02 is not ISA13");
            }
            Set<String> controlNumbers = new HashSet<>();
            Segment claim = null;
            int diagnoses = 0;
            BigDecimal charges = BigDecimal.ZERO;
            boolean hasF8 = false;
            List<Segment> closing = new ArrayList<>(segments);
            closing.add(new Segment("CLM", List.of()));
            for (Segment segment : closing) {
                switch (segment.tag()) {
                    case "CLM" -> {
                        if (claim != null) {
                            problems.addAll(claimProblems(claim, charges, hasF8));
                        }
                        if (segment.elements().isEmpty()) {
                            break;
                        }
                        claim = segment;
                        charges = BigDecimal.ZERO;
                        hasF8 = false;
                        diagnoses = 0;
                        if (segment.element(1).length() > 20 || !controlNumbers.add(segment.element(1))) {
                            problems.add("CLM01 " + segment.element(1) + " is longer than 20 or not unique");
                        }
                    }
                    case "REF" -> hasF8 |= claim != null && segment.element(1).equals("F8");
                    case "HI" -> diagnoses += segment.elements().size();
                    case "SV1" -> {
                        charges = charges.add(new BigDecimal(segment.element(2)));
                        for (String pointer : segment.element(7).split(":")) {
                            if (Integer.parseInt(pointer) > diagnoses) {
                                problems.add("SV107 points to diagnosis " + pointer + " of " + diagnoses);
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            return problems;
        }

        private static List<String> claimProblems(Segment claim, BigDecimal charges, boolean hasF8) {
            List<String> problems = new ArrayList<>();
            if (new BigDecimal(claim.element(2)).compareTo(charges) != 0) {
                problems.add("CLM02 " + claim.element(2) + " is not the sum of its lines, " + charges);
            }
            String frequency = claim.element(5).split(":")[2];
            if (hasF8 != (frequency.equals("7") || frequency.equals("8"))) {
                problems.add("claim " + claim.element(1) + " of frequency " + frequency
                             + (hasF8 ? " has" : " lacks") + " REF*F8");
            }
            return problems;
        }
    }

    private X12Reading() {
    }

    public static Read read(String x12) {
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
                    case START_TRANSACTION -> reader.setTransactionSchema(SCHEMA);
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

    private static Schema schema() {
        try (InputStream xml = X12Reading.class.getResourceAsStream("/x12/837P-claims-feed.xml")) {
            return SchemaFactory.newFactory().createSchema(xml);
        } catch (Exception e) {
            throw new IllegalStateException("the 837P test schema does not load", e);
        }
    }
}
