package org.ccmledger.billing.rules;

import java.time.YearMonth;
import java.util.Objects;

/**
 * What code assignment needs to know of one patient-month (R1: one calendar month, never more).
 *
 * @param month                        the calendar month of the billing location (P3)
 * @param countedMinutes               T: clinical staff plus billing-practitioner minutes, each minute once (R3, P2)
 * @param practitionerMinutes          P: the billing practitioner's personal minutes, a part of T (R3, for 99491)
 * @param complexityAttested           a moderate/high MDM attestation is on record for the month (P1, R7)
 * @param carePlanEstablishedOrRevised the care plan was established or substantially revised in the month (P1, R7)
 * @param qualifyingParticipant        the billing practitioner is a QP, for the conversion factor (R15)
 */
record CareMonth(YearMonth month, int countedMinutes, int practitionerMinutes, boolean complexityAttested,
                 boolean carePlanEstablishedOrRevised, boolean qualifyingParticipant) {

    CareMonth {
        Objects.requireNonNull(month, "month");
        if (practitionerMinutes < 0 || countedMinutes < practitionerMinutes) {
            throw new IllegalArgumentException("R3: the practitioner's minutes P are part of the counted minutes T: "
                                               + "0 <= P=" + practitionerMinutes + " <= T=" + countedMinutes);
        }
    }
}
