package org.ccmledger.billing.rules;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.ccmledger.billing.api.Reason;
import org.ccmledger.codeset.api.Billability;
import org.ccmledger.codeset.api.DiagnosisCodes;

/**
 * R7 on the claim: every diagnosis the claim carries must be billable on the date of service by the ICD-10-CM edition
 * in force then. A code that no longer is blocks the month (the patient's record needs a more specific or current
 * code), never silently billed; a date no loaded edition covers is checked against the nearest one and flagged.
 */
final class DiagnosisCheck {

    private DiagnosisCheck() {
    }

    static void check(List<String> diagnoses, LocalDate dateOfService, DiagnosisCodes codes, List<Reason> blockers,
                      List<Reason> flags) {
        Set<String> editionsNotInForce = new LinkedHashSet<>();
        for (String code : diagnoses) {
            Billability billability = codes.billability(code, dateOfService);
            if (!billability.billable()) {
                blockers.add(new Reason("R7", "ICD10_NOT_BILLABLE: " + billability.explain()));
            }
            if (!billability.editionInForce()) {
                editionsNotInForce.add(billability.edition());
            }
        }
        for (String edition : editionsNotInForce) {
            flags.add(new Reason("R7", "diagnoses checked against ICD-10-CM " + edition + ", the nearest loaded "
                                       + "edition: the edition in force on " + dateOfService + " is not loaded"));
        }
    }

    /** Every code billable, edition "any": for evaluations that do not check codes (unit tests of other rules). */
    static final DiagnosisCodes ANY = (code, on) -> new Billability(code, on, Billability.Status.BILLABLE, "any", true);
}
