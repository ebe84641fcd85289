package org.ccmledger.billing.api;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;

import org.ccmledger.patient.EnrollmentId;

/**
 * A patient-month's billing ({@link BillingViews.PatientMonthView}): as known now ({@code asKnownAt == null}, from
 * the read model), or as the ledger knew it at an instant (from the events recorded by then).
 */
public record FindBillingMonth(EnrollmentId enrollmentId, YearMonth month, Instant asKnownAt) {

    public FindBillingMonth {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        Objects.requireNonNull(month, "month");
    }
}
