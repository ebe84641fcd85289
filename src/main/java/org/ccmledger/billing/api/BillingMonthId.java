package org.ccmledger.billing.api;

import java.time.YearMonth;
import java.util.Objects;

import org.ccmledger.patient.EnrollmentId;

/**
 * The identity of one patient-month's billing, and so of its aggregate: {@code <practiceId>/<patientId>/billing/<yyyy-MM>}.
 * The statement and every adjustment of the month are in that one stream, in order.
 */
public record BillingMonthId(EnrollmentId enrollmentId, YearMonth month) {

    public BillingMonthId {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        Objects.requireNonNull(month, "month");
    }

    @Override
    public String toString() {
        return enrollmentId + "/billing/" + month;
    }
}
