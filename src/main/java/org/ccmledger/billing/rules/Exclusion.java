package org.ccmledger.billing.rules;

import java.util.Objects;

import org.ccmledger.patient.ConcurrentServiceKind;

/**
 * One row of the exclusion matrix of ccm-rules.md section 3: whether CCM may be billed in a month that also carries a
 * service of {@code kind}, by the same practitioner and by a different one. Rule data, because several rows are
 * labelled [S3] or [NF] (whether the 2015 FAQ still applies).
 *
 * @param kind               the concurrent service
 * @param samePractitioner   BLOCK: CCM is not billed when the billing practitioner furnished the service
 * @param otherPractitioner  BLOCK: CCM is not billed even when another practitioner furnished it
 * @param note               what the matrix says, shown with the flag or blocker
 */
record Exclusion(ConcurrentServiceKind kind, Effect samePractitioner, Effect otherPractitioner, String note,
                 String label, String source) {

    /** What a concurrent service does to CCM in the same month. */
    enum Effect { BLOCK, ALLOW }

    Exclusion {
        Objects.requireNonNull(kind, "exclusion kind");
        Objects.requireNonNull(samePractitioner, "samePractitioner");
        Objects.requireNonNull(otherPractitioner, "otherPractitioner");
        Objects.requireNonNull(note, "exclusion note");
        Provenance.requireLabel(label, "exclusion " + kind);
    }
}
