package org.ccmledger.billing.export;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * One claim-ready professional claim of a closed patient-month, as the claims feed exports it (CSV, FHIR R4
 * {@code Claim}, X12 837P). Ids are deterministic (derived from practice, patient, month and the statement or
 * adjustment they come from), so exporting twice never creates a second claim.
 *
 * @param claimId             deterministic claim id, at most 38 characters of {@code [A-Za-z0-9-]}
 * @param frequency           original, or a replacement of {@code replacesClaimId} (an adjustment, P4)
 * @param replacesClaimId     the claim this one corrects; {@code null} for an original
 * @param practiceId          the practice (the billing provider's organisation)
 * @param patientId           the practice's patient id (no other PHI is exported)
 * @param billingPractitioner the billing practitioner's NPI, 10 digits (R6: one per patient-month)
 * @param month               the calendar month of service (R1)
 * @param placeOfService      CMS place-of-service code of the billing location (R13), e.g. {@code "11"}
 * @param diagnoses           ICD-10-CM codes as recorded (with or without the dot), at least one, in pointer order
 * @param items               the service lines, at least one, sequence 1..n
 * @param kind                the month's CCM claim, or the initiating visit's claim: its base code and the G0506
 *                            add-on (R9), never on the CCM claim
 */
public record Claim(String claimId, Frequency frequency, String replacesClaimId, String practiceId, String patientId,
                    String billingPractitioner, YearMonth month, String placeOfService, List<String> diagnoses,
                    List<Item> items, Kind kind) {

    /**
     * Claim frequency (X12 CLM05-3: 1 original, 7 replacement; FHIR: a replacement claim references the original). A
     * void (8) is decided when a claim goes out: the feed lists an adjustment that leaves nothing billable in
     * {@link ClaimsFeed.Feed#voided()}.
     */
    public enum Frequency { ORIGINAL, REPLACEMENT }

    /** The month's CCM claim, or the initiating visit's claim carrying G0506 (R9). */
    public enum Kind { CCM, INITIATING_VISIT }

    /** A month's CCM claim. */
    public Claim(String claimId, Frequency frequency, String replacesClaimId, String practiceId, String patientId,
                 String billingPractitioner, YearMonth month, String placeOfService, List<String> diagnoses,
                 List<Item> items) {
        this(claimId, frequency, replacesClaimId, practiceId, patientId, billingPractitioner, month, placeOfService,
             diagnoses, items, Kind.CCM);
    }

    /**
     * One service line.
     *
     * @param lineId             deterministic line id
     * @param sequence           1-based line number
     * @param code               CPT/HCPCS code, e.g. {@code "99490"}
     * @param units              at least 1
     * @param unitAmount         allowed amount of one unit, scale 2; {@code null} when unknown ([NF] in the fee data)
     * @param servicedDate       date of service (R12)
     * @param diagnosisPointers  1-based indexes into {@link Claim#diagnoses()}, 1 to 4 of them
     */
    public record Item(String lineId, int sequence, String code, int units, BigDecimal unitAmount,
                       LocalDate servicedDate, List<Integer> diagnosisPointers) {

        public Item {
            Objects.requireNonNull(lineId, "lineId");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(servicedDate, "servicedDate");
            diagnosisPointers = List.copyOf(diagnosisPointers);
            if (units < 1 || sequence < 1 || diagnosisPointers.isEmpty() || diagnosisPointers.size() > 4) {
                throw new IllegalArgumentException("invalid claim line " + lineId);
            }
        }

        /** {@code unitAmount × units}, or {@code null} when unknown. */
        public BigDecimal lineAmount() {
            return unitAmount == null ? null : unitAmount.multiply(BigDecimal.valueOf(units));
        }
    }

    public Claim {
        Objects.requireNonNull(claimId, "claimId");
        Objects.requireNonNull(frequency, "frequency");
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(billingPractitioner, "billingPractitioner");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(placeOfService, "placeOfService");
        Objects.requireNonNull(kind, "kind");
        diagnoses = List.copyOf(diagnoses);
        items = List.copyOf(items);
        if (diagnoses.isEmpty() || items.isEmpty()) {
            throw new IllegalArgumentException("a claim has at least one diagnosis and one line: " + claimId);
        }
        if ((frequency == Frequency.REPLACEMENT) != (replacesClaimId != null)) {
            throw new IllegalArgumentException("a replacement, and only a replacement, names the claim it replaces");
        }
    }
}
