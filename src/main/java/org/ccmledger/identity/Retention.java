package org.ccmledger.identity;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * R18: the records behind a Medicare claim are kept 7 years from the date of service (42 CFR 424.516(f)). The
 * patient's last date of service is taken, conservatively, as the day the patient's record last changed (the newest
 * event of the enrollment stream, which every logged minute, consent and visit goes through): recording never precedes
 * the service.
 */
final class Retention {

    static final Period MEDICARE = Period.ofYears(7);

    private Retention() {
    }

    /** The first day on which the records of a patient last changed at {@code lastRecorded} may be destroyed. */
    static LocalDate erasableFrom(Instant lastRecorded) {
        return LocalDate.ofInstant(lastRecorded, ZoneOffset.UTC).plus(MEDICARE).plusDays(1);
    }

    static boolean over(Instant lastRecorded, LocalDate today) {
        return !today.isBefore(erasableFrom(lastRecorded));
    }
}
