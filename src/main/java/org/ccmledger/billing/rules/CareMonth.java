package org.ccmledger.billing.rules;

import java.time.YearMonth;
import java.util.Objects;

import org.ccmledger.billing.api.FeeSetting;

/**
 * What code assignment needs to know of one patient-month (R1: one calendar month, never more).
 *
 * @param month                        the calendar month of the billing location (P3)
 * @param countedMinutes               T: clinical staff plus billing-practitioner minutes, each minute once (R3, P2)
 * @param practitionerMinutes          P: the billing practitioner's personal minutes, a part of T (R3, for 99491)
 * @param complexityAttested           a moderate/high MDM attestation is on record for the month (P1, R7)
 * @param carePlanEstablishedOrRevised the care plan was established or substantially revised in the month (P1, R7)
 * @param qualifyingParticipant        the billing practitioner is a QP, for the conversion factor (R15)
 * @param placeOfService               the CMS place-of-service code billed with (R13)
 * @param setting                      the rate that place of service is paid at (R13, R15)
 */
record CareMonth(YearMonth month, int countedMinutes, int practitionerMinutes, boolean complexityAttested,
                 boolean carePlanEstablishedOrRevised, boolean qualifyingParticipant, String placeOfService,
                 FeeSetting setting) {

    /** A month billed from an office (POS 11), at the non-facility rate. */
    CareMonth(YearMonth month, int countedMinutes, int practitionerMinutes, boolean complexityAttested,
              boolean carePlanEstablishedOrRevised, boolean qualifyingParticipant) {
        this(month, countedMinutes, practitionerMinutes, complexityAttested, carePlanEstablishedOrRevised,
             qualifyingParticipant, "11", FeeSetting.NON_FACILITY);
    }

    CareMonth {
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(placeOfService, "placeOfService");
        Objects.requireNonNull(setting, "setting");
        if (practitionerMinutes < 0 || countedMinutes < practitionerMinutes) {
            throw new IllegalArgumentException("R3: the practitioner's minutes P are part of the counted minutes T: "
                                               + "0 <= P=" + practitionerMinutes + " <= T=" + countedMinutes);
        }
    }
}
