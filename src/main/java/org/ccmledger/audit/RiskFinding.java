package org.ccmledger.audit;

import java.util.List;

/**
 * One thing in a patient-month that Medicare reviewers have found paid wrongly before (ccm-rules.md section 5):
 * what it is, the rule it touches, where reviewers found it, what the ledger shows, and the events that show it.
 * A risk is not a blocker: it asks a compliance officer to look.
 *
 * @param patientId the patient
 * @param month     the month
 * @param risk      the kind of risk (see {@link RiskRules.Risk})
 * @param rule      the rule id in ccm-rules.md
 * @param source    the OIG report or CMS guidance that names it
 * @param detail    what the ledger shows, without patient data beyond ids
 * @param evidence  the ids of the events (or statements and adjustments) that show it
 * @param reviews   the compliance officer's decisions on it, oldest first
 */
record RiskFinding(String patientId, String month, String risk, String rule, String source, String detail,
                   List<String> evidence, List<Review> reviews) {

    RiskFinding {
        evidence = List.copyOf(evidence);
        reviews = reviews == null ? List.of() : List.copyOf(reviews);
    }

    RiskFinding(String patientId, String month, String risk, String rule, String source, String detail,
                List<String> evidence) {
        this(patientId, month, risk, rule, source, detail, evidence, List.of());
    }

    RiskFinding withReviews(List<Review> found) {
        return new RiskFinding(patientId, month, risk, rule, source, detail, evidence, found);
    }

    /** A review decision as recorded: who, when, what, and its event. */
    record Review(String decision, String reference, String note, String reviewedBy, java.time.Instant reviewedAt,
                  String eventId) {
    }
}
