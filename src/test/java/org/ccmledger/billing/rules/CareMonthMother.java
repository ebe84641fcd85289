package org.ccmledger.billing.rules;

import java.time.YearMonth;

/** Patient-months for code assignment tests: staff-only, non-QP, no complexity unless asked. */
final class CareMonthMother {

    private YearMonth month;
    private int countedMinutes;
    private int practitionerMinutes;
    private boolean complexityAttested;
    private boolean carePlanEstablishedOrRevised;
    private boolean qualifyingParticipant;

    private CareMonthMother(String month) {
        this.month = YearMonth.parse(month);
    }

    static CareMonthMother in(String month) {
        return new CareMonthMother(month);
    }

    /** T: all counted minutes, staff and billing practitioner together. */
    CareMonthMother counted(int minutes) {
        this.countedMinutes = minutes;
        return this;
    }

    /** P: the billing practitioner's personal minutes, also counted in T. */
    CareMonthMother practitioner(int minutes) {
        this.practitionerMinutes = minutes;
        return this;
    }

    /** Both P1 conditions of complex CCM: moderate/high MDM attested and the care plan established or revised. */
    CareMonthMother complex() {
        return mdmAttested().carePlanRevised();
    }

    CareMonthMother mdmAttested() {
        this.complexityAttested = true;
        return this;
    }

    CareMonthMother carePlanRevised() {
        this.carePlanEstablishedOrRevised = true;
        return this;
    }

    CareMonthMother qp() {
        this.qualifyingParticipant = true;
        return this;
    }

    CareMonth build() {
        return new CareMonth(month, countedMinutes, practitionerMinutes, complexityAttested,
                             carePlanEstablishedOrRevised, qualifyingParticipant);
    }
}
