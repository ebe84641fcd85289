package org.ccmledger.billing.export;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.xlate.edi.schema.EDISchemaException;
import io.xlate.edi.schema.SchemaFactory;
import io.xlate.edi.stream.EDIOutputFactory;
import io.xlate.edi.stream.EDIStreamConstants;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamWriter;

/**
 * One X12 005010X222A1 (837 professional) interchange, written with StAEDI: one ISA/GS envelope around transaction
 * sets (ST … SE) of at most {@value #MAX_CLAIMS_PER_TRANSACTION} claims each, a patient's claims always in one; in each,
 * the submitter (1000A, with the contact in PER) and receiver (1000B); one billing-provider loop (2000A: PRV taxonomy,
 * 2010AA name, NPI, address, tax id); and per patient a subscriber loop (2000B: SBR, Medicare Part B, the patient as
 * subscriber; 2010BA name, address, MBI, DMG birth date and sex; 2010BB the payer), each claim in it (2300: CLM, REF*F8
 * for a replacement or void, HI, 2310B rendering provider when not the billing provider, 2400 LX/SV1/DTP per line).
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
    /**
     * The most claims (CLM segments) in one transaction set: 005010X222A1 recommends at most 5,000, and Medicare's
     * contractors reject a transaction set with more, so a larger interchange holds several.
     */
    static final int MAX_CLAIMS_PER_TRANSACTION = 5000;

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
        return write837P(submission, MAX_CLAIMS_PER_TRANSACTION);
    }

    /** The same, with at most {@code maxClaimsPerTransaction} claims in a transaction set (tests use a few). */
    static String write837P(X12Submission submission, int maxClaimsPerTransaction) {
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
            new X12Interchange(writer, submission, maxClaimsPerTransaction).write();
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
}
