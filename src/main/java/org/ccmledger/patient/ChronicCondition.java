package org.ccmledger.patient;

import java.util.regex.Pattern;

import org.ccmledger.platform.problem.Refusal;

/**
 * A chronic condition as attested at enrollment: an ICD-10-CM code (its shape checked here, its billability against
 * the code set when enrolling), a description, and the two
 * attestations R7 asks for.
 */
public record ChronicCondition(String code, String description, boolean expectedToLast12Months,
                               boolean significantRisk) {

    /**
     * The shape of an ICD-10-CM code: a letter, two letters or digits (some FY2026 codes begin {@code QA0}), then
     * optionally a dot and 1–4 letters or digits. Whether it is billable is the code set's answer (R7).
     */
    private static final Pattern ICD10_CM = Pattern.compile("[A-Z][0-9A-Z]{2}(\\.[0-9A-Z]{1,4})?");

    public ChronicCondition {
        if (code == null || !ICD10_CM.matcher(code).matches()) {
            throw Refusal.rule("INVALID_ICD10_CODE", "R7", "chronic condition code is not an ICD-10-CM code");
        }
        if (description == null || description.isBlank() || description.length() > 200) {
            throw Refusal.rule("INVALID_CONDITION_DESCRIPTION", "R7",
                               "chronic condition description must be 1-200 characters");
        }
    }

    /** Whether this condition qualifies for CCM under R7. */
    public boolean qualifies() {
        return expectedToLast12Months && significantRisk;
    }
}
