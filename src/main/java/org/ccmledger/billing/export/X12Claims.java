package org.ccmledger.billing.export;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.xlate.edi.schema.EDISchemaException;
import io.xlate.edi.schema.SchemaFactory;
import io.xlate.edi.stream.EDIOutputFactory;
import io.xlate.edi.stream.EDIStreamConstants;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamWriter;

/**
 * The claims feed as one X12 005010X222A1 (837 professional) interchange, written with StAEDI: one ISA/GS/ST
 * envelope, and in it one 2000A billing-provider loop per practice and billing practitioner (R6), one 2000B
 * subscriber loop per patient under it, and one 2300 claim per {@link Claim}, in the order the claims come.
 *
 * <p>What each claim becomes:
 * <ul>
 *   <li>{@code CLM}: the claim id (CLM01), the sum of the line charges (CLM02), and place of service (R13), facility
 *       qualifier {@code B} and frequency {@code 1} (original) or {@code 7} (replacement, P4) in CLM05; CLM06 to CLM09
 *       say signature on file, assignment accepted, benefits assigned, release of information on file;</li>
 *   <li>{@code REF*F8}: for a replacement, the id of the claim it replaces;</li>
 *   <li>{@code HI}: the diagnoses, ICD-10-CM without the dot, the first as principal ({@code ABK}), the others
 *       {@code ABF}; at most 12, as the 837P allows;</li>
 *   <li>per line, {@code LX}, {@code SV1} (HCPCS/CPT code, charge, {@code UN}its, place of service left to CLM05,
 *       diagnosis pointers) and {@code DTP*472} with the date of service (R12).</li>
 * </ul>
 *
 * <p>Every line must have a charge: X12 has no way to say "unknown", and a 0 would be billed as 0, so an unknown
 * amount is refused with an {@link IllegalArgumentException} before anything is written. The output depends on the
 * claims and the {@link X12Envelope} only, never on a clock.
 *
 * <p>The feed exports no PHI beyond the practice's patient id, which goes out as the member id (2010BA NM109), and it
 * knows no names, addresses, tax id or payer id. The segments that the implementation guide requires for those
 * (submitter contact PER, names in NM103, N3/N4, REF*EI, DMG, the 2010BB payer loop) are therefore not written: they
 * are to be completed by the practice-management system or clearinghouse that submits the claims. The envelope's
 * control structure is validated by StAEDI while writing.
 */
public final class X12Claims {

    /** The implementation guide, GS08 and ST03. */
    public static final String IMPLEMENTATION = "005010X222A1";

    private static final int MAX_DIAGNOSES = 12;
    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd", Locale.ROOT);
    private static final DateTimeFormatter CCYYMMDD = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm", Locale.ROOT);
    private static final String TRANSACTION_CONTROL_NUMBER = "0001";

    private X12Claims() {
    }

    /**
     * The claims as one 837P interchange.
     *
     * @param claims   the claims, at least one
     * @param envelope sender, receiver, control number and preparation time of the interchange
     * @return the interchange, segments ended by {@code ~}, elements by {@code *}, components by {@code :}
     * @throws IllegalArgumentException when a line has no charge amount, a claim has more than 12 diagnoses or a
     *                                  pointer to a diagnosis it does not have, or a value holds an X12 delimiter
     */
    public static String write837P(List<Claim> claims, X12Envelope envelope) {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(envelope, "envelope");
        if (claims.isEmpty()) {
            throw new IllegalArgumentException("an 837P interchange holds at least one claim");
        }
        claims.forEach(X12Claims::checkWritable);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            EDIStreamWriter writer = EDIOutputFactory.newFactory().createEDIStreamWriter(bytes, "UTF-8");
            writer.setControlSchema(SchemaFactory.newFactory()
                    .getControlSchema(EDIStreamConstants.Standards.X12, new String[] {"00501"}));
            new Interchange(writer, envelope).write(claims);
            writer.close();
        } catch (EDIStreamException | EDISchemaException e) {
            throw new IllegalStateException("the 837P could not be written: " + e.getMessage(), e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Refuses, before a byte is written, what X12 cannot carry. Messages name claims, lines and codes, no patient. */
    private static void checkWritable(Claim claim) {
        String claimId = claim.claimId();
        if (claim.diagnoses().size() > MAX_DIAGNOSES) {
            throw new IllegalArgumentException("an 837P claim carries at most " + MAX_DIAGNOSES + " diagnoses: claim "
                                               + claimId + " has " + claim.diagnoses().size());
        }
        requireText(claimId, "claim id of claim " + claimId);
        requireText(claim.replacesClaimId(), "replaced claim id of claim " + claimId);
        requireText(claim.patientId(), "patient id of claim " + claimId);
        requireText(claim.billingPractitioner(), "billing practitioner of claim " + claimId);
        requireText(claim.placeOfService(), "place of service of claim " + claimId);
        claim.diagnoses().forEach(code -> requireText(code, "diagnosis of claim " + claimId));
        for (Claim.Item item : claim.items()) {
            String line = "claim " + claimId + " line " + item.sequence() + " (" + item.code() + ")";
            requireText(item.code(), line);
            if (item.unitAmount() == null) {
                throw new IllegalArgumentException(
                        "X12 needs a charge amount; set it in the fee data: " + line + " has none");
            }
            if (item.unitAmount().signum() < 0) {
                throw new IllegalArgumentException("X12 needs a charge of 0 or more: " + line);
            }
            for (int pointer : item.diagnosisPointers()) {
                if (pointer < 1 || pointer > claim.diagnoses().size()) {
                    throw new IllegalArgumentException(
                            "diagnosis pointer " + pointer + " points to no diagnosis of " + line);
                }
            }
        }
    }

    private static void requireText(String value, String what) {
        if (value != null && (value.isBlank() || value.chars().anyMatch(c -> "*:~^".indexOf(c) >= 0 || c < ' '))) {
            throw new IllegalArgumentException("X12 cannot carry the " + what + ": blank, or holds a delimiter");
        }
    }

    /** X12 decimals: no trailing zeros, no exponent ({@code 60.50} becomes {@code 60.5}). */
    static String decimal(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }

    /** ICD-10-CM as X12 wants it: no dot, upper case. */
    static String icd10WithoutDot(String code) {
        return code.strip().replace(".", "").toUpperCase(Locale.ROOT);
    }

    /** The billing provider of a 2000A loop: the billing practitioner, within one practice. */
    private record BillingProvider(String practiceId, String npi) {
    }

    /** One pass over a writer: counts the segments of the transaction set and numbers the HL loops. */
    private static final class Interchange {

        private final EDIStreamWriter writer;
        private final X12Envelope envelope;
        private int transactionSegments;
        private int hierarchicalIds;

        Interchange(EDIStreamWriter writer, X12Envelope envelope) {
            this.writer = writer;
            this.envelope = envelope;
        }

        void write(List<Claim> claims) throws EDIStreamException {
            String controlNumber = String.format(Locale.ROOT, "%09d", envelope.interchangeControlNumber());
            String groupNumber = Integer.toString(envelope.interchangeControlNumber());
            LocalDate date = envelope.date();
            LocalTime time = envelope.time();

            writer.startInterchange();
            segment("ISA", "00", " ".repeat(10), "00", " ".repeat(10),
                    "ZZ", padded(envelope.senderId()), "ZZ", padded(envelope.receiverId()),
                    YYMMDD.format(date), HHMM.format(time), "^", "00501", controlNumber, "0", "P", ":");
            segment("GS", "HC", envelope.senderId(), envelope.receiverId(), CCYYMMDD.format(date), HHMM.format(time),
                    groupNumber, "X", IMPLEMENTATION);

            transactionSegments = 0;
            segment("ST", "837", TRANSACTION_CONTROL_NUMBER, IMPLEMENTATION);
            segment("BHT", "0019", "00", groupNumber, CCYYMMDD.format(date), HHMM.format(time), "CH");
            // 1000A submitter, 1000B receiver
            segment("NM1", "41", "2", null, null, null, null, null, "46", envelope.senderId());
            segment("NM1", "40", "2", null, null, null, null, null, "46", envelope.receiverId());
            for (var provider : byBillingProvider(claims).entrySet()) {
                int providerHl = hierarchicalLevel(null, "20", true);
                // 2010AA billing provider, by NPI
                segment("NM1", "85", "1", null, null, null, null, null, "XX", provider.getKey().npi());
                for (var patient : byPatient(provider.getValue()).entrySet()) {
                    hierarchicalLevel(providerHl, "22", false);
                    // the patient is the subscriber (18: self) of Medicare Part B (MB)
                    segment("SBR", "P", "18", null, null, null, null, null, null, "MB");
                    // 2010BA subscriber: the practice's patient id as member id, no other PHI
                    segment("NM1", "IL", "1", null, null, null, null, null, "MI", patient.getKey());
                    for (Claim claim : patient.getValue()) {
                        claim(claim);
                    }
                }
            }
            segment("SE", Integer.toString(transactionSegments + 1), TRANSACTION_CONTROL_NUMBER);

            segment("GE", "1", groupNumber);
            segment("IEA", "1", controlNumber);
            writer.endInterchange();
        }

        private void claim(Claim claim) throws EDIStreamException {
            BigDecimal total = claim.items().stream().map(Claim.Item::lineAmount).reduce(BigDecimal.ZERO,
                                                                                          BigDecimal::add);
            String frequency = claim.frequency() == Claim.Frequency.REPLACEMENT ? "7" : "1";
            segment("CLM", claim.claimId(), decimal(total), null, null,
                    List.of(claim.placeOfService(), "B", frequency), "Y", "A", "Y", "Y");
            if (claim.replacesClaimId() != null) {
                segment("REF", "F8", claim.replacesClaimId());
            }
            List<Object> diagnoses = new ArrayList<>();
            for (int i = 0; i < claim.diagnoses().size(); i++) {
                diagnoses.add(List.of(i == 0 ? "ABK" : "ABF", icd10WithoutDot(claim.diagnoses().get(i))));
            }
            segment("HI", diagnoses.toArray());
            for (Claim.Item item : claim.items()) {
                segment("LX", Integer.toString(item.sequence()));
                segment("SV1", List.of("HC", item.code()), decimal(item.lineAmount()), "UN",
                        Integer.toString(item.units()), null, null,
                        item.diagnosisPointers().stream().map(String::valueOf).toList());
                segment("DTP", "472", "D8", CCYYMMDD.format(item.servicedDate()));
            }
        }

        /** Writes an HL segment and returns its id. */
        private int hierarchicalLevel(Integer parent, String levelCode, boolean hasChildren)
                throws EDIStreamException {
            int id = ++hierarchicalIds;
            segment("HL", Integer.toString(id), parent == null ? null : parent.toString(), levelCode,
                    hasChildren ? "1" : "0");
            return id;
        }

        /**
         * Writes one segment. Each element is a {@code String}, {@code null} for an empty element, or a
         * {@code List<String>} for a composite.
         */
        private void segment(String tag, Object... elements) throws EDIStreamException {
            writer.writeStartSegment(tag);
            for (Object element : elements) {
                if (element == null) {
                    writer.writeEmptyElement();
                } else if (element instanceof List<?> components) {
                    writer.writeStartElement();
                    for (Object component : components) {
                        writer.writeComponent(component.toString());
                    }
                    writer.endElement();
                } else {
                    writer.writeElement(element.toString());
                }
            }
            writer.writeEndSegment();
            transactionSegments++;
        }

        private static String padded(String id) {
            return String.format(Locale.ROOT, "%-15s", id);
        }

        private static Map<BillingProvider, List<Claim>> byBillingProvider(List<Claim> claims) {
            Map<BillingProvider, List<Claim>> groups = new LinkedHashMap<>();
            for (Claim claim : claims) {
                groups.computeIfAbsent(new BillingProvider(claim.practiceId(), claim.billingPractitioner()),
                                       key -> new ArrayList<>()).add(claim);
            }
            return groups;
        }

        private static Map<String, List<Claim>> byPatient(List<Claim> claims) {
            Map<String, List<Claim>> groups = new LinkedHashMap<>();
            for (Claim claim : claims) {
                groups.computeIfAbsent(claim.patientId(), key -> new ArrayList<>()).add(claim);
            }
            return groups;
        }
    }
}
