package org.ccmledger.enrollment;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;

import org.axonframework.eventhandling.GenericEventMessage;
import org.ccmledger.patient.EnrollPatient;
import org.ccmledger.codeset.api.Billability;
import org.ccmledger.codeset.api.DiagnosisCodes;
import org.ccmledger.platform.problem.Refusal;

/** Checks shared by the parts of the enrollment aggregate, named after the rule they check. */
final class Guards {

    static final int MAX_MINUTES_PER_ENTRY = 24 * 60;

    private Guards() {
    }

    /** R7: two or more qualifying chronic conditions. */
    static void assertTwoQualifyingConditions(EnrollPatient command) {
        long qualifying = command.chronicConditions().stream().filter(c -> c.qualifies()).count();
        if (qualifying < 2) {
            throw Refusal.rule("TOO_FEW_QUALIFYING_CONDITIONS", "R7",
                               "CCM needs two or more chronic conditions expected to last at least 12 months "
                                       + "and placing the patient at significant risk (R7)");
        }
    }

    /**
     * R7: every condition's code is billable on the enrollment date by the ICD-10-CM edition in force; a header or
     * category, a deleted or an unknown code is refused naming the code (never the patient).
     */
    static void assertBillableDiagnoses(EnrollPatient command, DiagnosisCodes codes, java.time.LocalDate on) {
        for (var condition : command.chronicConditions()) {
            Billability billability = codes.billability(condition.code(), on);
            if (!billability.billable()) {
                throw Refusal.rule("ICD10_NOT_BILLABLE", "R7", billability.explain());
            }
        }
    }

    /** P2: an entry is 1 to 1440 minutes. */
    static void assertMinutesPlausible(int minutes) {
        if (minutes <= 0 || minutes > MAX_MINUTES_PER_ENTRY) {
            throw Refusal.rule("MINUTES_OUT_OF_RANGE", "P2", "minutes must be between 1 and 1440 per entry");
        }
    }

    /** P2: nothing recorded may end in the future (a minute of clock skew allowed). */
    static void assertNotInFuture(Instant start, int minutes) {
        Instant now = GenericEventMessage.clock.instant();
        if (start.plus(Duration.ofMinutes(minutes)).isAfter(now.plus(Duration.ofMinutes(1)))) {
            throw Refusal.rule("TIME_IN_FUTURE", "P2", "care time and records cannot lie in the future");
        }
    }

    /** R1: a month's facts are recorded once the month has begun in the billing location's zone. */
    static void assertMonthNotInFuture(YearMonth month, ZoneId zone) {
        if (month.isAfter(YearMonth.from(GenericEventMessage.clock.instant().atZone(zone)))) {
            throw Refusal.rule("MONTH_IN_FUTURE", "R1", "the month has not begun yet");
        }
    }
}
