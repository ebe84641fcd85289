package org.ccmledger.billing.api;

import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

import org.ccmledger.patient.PracticeId;

/**
 * The patient-months of some patients of a practice now (answered as a {@code List<BillingViews.PatientMonthView>} in
 * patient id order; a patient not in the billing read model is left out): {@link FindBillingMonth} for many patients
 * at once, for a practice-wide scan that would otherwise ask once per patient.
 */
public record FindBillingMonths(PracticeId practiceId, YearMonth month, List<String> patientIds) {

    public FindBillingMonths {
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(month, "month");
        patientIds = List.copyOf(patientIds);
    }
}
