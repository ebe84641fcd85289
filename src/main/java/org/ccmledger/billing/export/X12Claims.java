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

import org.ccmledger.identity.api.PatientIdentity;
import org.ccmledger.patient.PostalAddress;
import org.ccmledger.practice.api.PracticeProfile;

import io.xlate.edi.schema.EDISchemaException;
import io.xlate.edi.schema.SchemaFactory;
import io.xlate.edi.stream.EDIOutputFactory;
import io.xlate.edi.stream.EDIStreamConstants;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamWriter;

/**
 * One X12 005010X222A1 (837 professional) interchange, written with StAEDI: one ISA/GS/ST envelope; the submitter
 * (1000A, with the contact in PER) and receiver (1000B); one billing-provider loop (2000A: PRV taxonomy, 2010AA name,
 * NPI, address, tax id); and per patient a subscriber loop (2000B: SBR, Medicare Part B, the patient as subscriber;
 * 2010BA name, address, MBI, DMG birth date and sex; 2010BB the payer), each claim in it (2300: CLM, REF*F8 for a
 * replacement or void, HI, 2310B rendering provider when not the billing provider, 2400 LX/SV1/DTP per line).
 *
 * <p>What each claim becomes:
 * <ul>
 *   <li>{@code CLM}: its patient control number (CLM01, at most 20 characters, unique per claim version), the sum of
 *       the line charges (CLM02), place of service (R13), facility qualifier {@code B} and frequency {@code 1}
 *       original, {@code 7} replacement or {@code 8} void in CLM05; CLM06 to CLM09 say signature on file, assignment
 *       accepted, benefits assigned, release of information on file;</li>
 *   <li>{@code REF*F8}: for a replacement or a void, the payer's claim control number (ICN) of the claim it replaces;</li>
 *   <li>{@code HI}: the diagnoses, ICD-10-CM without the dot, the first as principal ({@code ABK}), the others
 *       {@code ABF}; at most 12;</li>
 *   <li>per line, {@code LX}, {@code SV1} (HCPCS/CPT code, charge, {@code UN}its, diagnosis pointers) and
 *       {@code DTP*472} with the date of service (R12).</li>
 * </ul>
 *
 * <p>Every line must have a charge: X12 has no way to say "unknown", and a 0 would be billed as 0, so an unknown
 * amount is refused with an {@link IllegalArgumentException} before anything is written. The output depends on the
 * submission only, never on a clock. The envelope's control structure is validated by StAEDI while writing; tests read
 * every interchange back against a schema of the segments and loops (src/test/resources/x12).
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
     * The submission as one 837P interchange.
     *
     * @return the interchange, segments ended by {@code ~}, elements by {@code *}, components by {@code :}
     * @throws IllegalArgumentException when a line has no charge amount, a claim has more than 12 diagnoses or a
     *                                  pointer to a diagnosis it does not have, or a value holds an X12 delimiter
     */
    public static String write837P(X12Submission submission) {
        Objects.requireNonNull(submission, "submission");
        if (submission.claims().isEmpty()) {
            throw new IllegalArgumentException("an 837P interchange holds at least one claim");
        }
        submission.claims().forEach(c -> checkWritable(c.claim()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            EDIStreamWriter writer = EDIOutputFactory.newFactory().createEDIStreamWriter(bytes, "UTF-8");
            writer.setControlSchema(SchemaFactory.newFactory()
                    .getControlSchema(EDIStreamConstants.Standards.X12, new String[] {"00501"}));
            new Interchange(writer, submission).write();
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

    /** One pass over a writer: counts the segments of the transaction set and numbers the HL loops. */
    private static final class Interchange {

        private final EDIStreamWriter writer;
        private final X12Submission submission;
        private int transactionSegments;
        private int hierarchicalIds;

        Interchange(EDIStreamWriter writer, X12Submission submission) {
            this.writer = writer;
            this.submission = submission;
        }

        void write() throws EDIStreamException {
            X12Envelope envelope = submission.envelope();
            String controlNumber = String.format(Locale.ROOT, "%09d", envelope.interchangeControlNumber());
            String groupNumber = Integer.toString(envelope.interchangeControlNumber());
            LocalDate date = envelope.date();
            LocalTime time = envelope.time();

            writer.startInterchange();
            segment("ISA", "00", " ".repeat(10), "00", " ".repeat(10),
                    "ZZ", padded(envelope.senderId()), "ZZ", padded(envelope.receiverId()),
                    YYMMDD.format(date), HHMM.format(time), "^", "00501", controlNumber, "0", envelope.usage(), ":");
            segment("GS", "HC", envelope.senderId(), envelope.receiverId(), CCYYMMDD.format(date), HHMM.format(time),
                    groupNumber, "X", IMPLEMENTATION);

            transactionSegments = 0;
            segment("ST", "837", TRANSACTION_CONTROL_NUMBER, IMPLEMENTATION);
            segment("BHT", "0019", "00", groupNumber, CCYYMMDD.format(date), HHMM.format(time), "CH");
            // 1000A submitter with its contact, 1000B receiver
            segment("NM1", "41", "2", submission.submitter().name(), null, null, null, null, "46",
                    submission.submitter().id());
            PracticeProfile.Contact contact = submission.contact();
            if (contact.email() == null) {
                segment("PER", "IC", contact.name(), "TE", contact.phone());
            } else {
                segment("PER", "IC", contact.name(), "TE", contact.phone(), "EM", contact.email());
            }
            segment("NM1", "40", "2", submission.receiver().name(), null, null, null, null, "46",
                    submission.receiver().id());
            // 2000A billing provider: taxonomy, 2010AA name and NPI, address, tax id
            X12Submission.BillingProvider provider = submission.provider();
            int providerHl = hierarchicalLevel(null, "20", true);
            segment("PRV", "BI", "PXC", provider.taxonomyCode());
            segment("NM1", "85", "2", provider.name(), null, null, null, null, "XX", provider.npi());
            address(provider.address());
            segment("REF", provider.taxIdQualifier(), provider.taxId());
            for (var patient : byPatient(submission.claims()).entrySet()) {
                PatientIdentity subscriber = patient.getValue().get(0).subscriber();
                hierarchicalLevel(providerHl, "22", false);
                // the patient is the subscriber (18: self) of Medicare Part B (MB)
                segment("SBR", "P", "18", null, null, null, null, null, null, "MB");
                // 2010BA subscriber: name and MBI, address, birth date and sex
                segment("NM1", "IL", "1", subscriber.familyName(), subscriber.givenName(), null, null, null, "MI",
                        subscriber.mbi());
                address(subscriber.address());
                segment("DMG", "D8", CCYYMMDD.format(subscriber.birthDate()), subscriber.sex());
                // 2010BB payer
                segment("NM1", "PR", "2", submission.payer().name(), null, null, null, null, "PI",
                        submission.payer().id());
                for (X12Submission.X12Claim claim : patient.getValue()) {
                    claim(claim, provider.npi());
                }
            }
            segment("SE", Integer.toString(transactionSegments + 1), TRANSACTION_CONTROL_NUMBER);

            segment("GE", "1", groupNumber);
            segment("IEA", "1", controlNumber);
            writer.endInterchange();
        }

        private void address(PostalAddress address) throws EDIStreamException {
            if (address.line2() == null) {
                segment("N3", address.line1());
            } else {
                segment("N3", address.line1(), address.line2());
            }
            segment("N4", address.city(), address.state(), address.zip());
        }

        private void claim(X12Submission.X12Claim sent, String providerNpi) throws EDIStreamException {
            Claim claim = sent.claim();
            BigDecimal total = claim.items().stream().map(Claim.Item::lineAmount).reduce(BigDecimal.ZERO,
                                                                                          BigDecimal::add);
            segment("CLM", sent.controlNumber(), decimal(total), null, null,
                    List.of(claim.placeOfService(), "B", sent.frequency()), "Y", "A", "Y", "Y");
            if (sent.payerReference() != null) {
                segment("REF", "F8", sent.payerReference());
            }
            List<Object> diagnoses = new ArrayList<>();
            for (int i = 0; i < claim.diagnoses().size(); i++) {
                diagnoses.add(List.of(i == 0 ? "ABK" : "ABF", icd10WithoutDot(claim.diagnoses().get(i))));
            }
            segment("HI", diagnoses.toArray());
            if (!claim.billingPractitioner().equals(providerNpi) && sent.rendering() != null) {
                // 2310B rendering provider: the billing practitioner who furnished the care (R6)
                segment("NM1", "82", "1", sent.rendering().familyName(), sent.rendering().givenName(), null, null,
                        null, "XX", claim.billingPractitioner());
            }
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

        private static Map<String, List<X12Submission.X12Claim>> byPatient(List<X12Submission.X12Claim> claims) {
            Map<String, List<X12Submission.X12Claim>> groups = new LinkedHashMap<>();
            for (X12Submission.X12Claim claim : claims) {
                groups.computeIfAbsent(claim.claim().patientId(), key -> new ArrayList<>()).add(claim);
            }
            return groups;
        }
    }
}
