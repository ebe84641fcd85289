package org.ccmledger.enrollment;

import java.time.Instant;
import java.time.ZoneId;

import org.ccmledger.caretime.api.CareCalendar;
import org.ccmledger.patient.DisenrollPatient;
import org.ccmledger.patient.PatientDied;
import org.ccmledger.patient.PatientDisenrolled;
import org.ccmledger.patient.RecordDeath;
import org.ccmledger.platform.problem.Refusal;

/**
 * The patient's calendar of care (the billing location's zone, P3) and its end: death and disenrollment, after which no
 * care time counts (R1, edge case 7). Decisions on the calendar fold of {@code caretime.api} ({@link CareCalendar}),
 * which billing and the minutes read model count with. Part of the {@link PatientEnrollment} aggregate.
 */
final class EndOfCare {

    private CareCalendar<Void> calendar = CareCalendar.none();

    void apply(Object event) {
        calendar = calendar.apply(event, null);
    }

    ZoneId zone() {
        return calendar.zone();
    }

    /** Once; the day of death has begun, computed from that day so the last representable date is not an overflow. */
    PatientDied death(RecordDeath command) {
        if (calendar.dateOfDeath() != null) {
            throw Refusal.conflict("DEATH_ALREADY_RECORDED", "a date of death is already recorded");
        }
        Guards.assertNotInFuture(command.dateOfDeath().atStartOfDay(zone()).toInstant(), 0);
        return new PatientDied(command.enrollmentId(), command.dateOfDeath());
    }

    /** Once, not in the future, with no live time after it (P4). */
    PatientDisenrolled disenroll(DisenrollPatient command, TimeEntries entries) {
        if (calendar.disenrolledAt() != null) {
            throw Refusal.conflict("ALREADY_DISENROLLED", "the patient is already disenrolled");
        }
        Guards.assertNotInFuture(command.effectiveAt(), 0);
        entries.assertNoLiveTimeAfter(command.effectiveAt(), "R1");
        return new PatientDisenrolled(command.enrollmentId(), command.effectiveAt(), command.reason());
    }

    /** R1: no care time counts after death or disenrollment. */
    void assertCareNotEnded(Instant end) {
        Instant endOfCare = calendar.endOfCare();
        if (endOfCare != null && end.isAfter(endOfCare)) {
            throw Refusal.rule("AFTER_END_OF_CARE", "R1", "no care time counts after death or disenrollment");
        }
    }
}
