package org.ccmledger.caretime.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.ccmledger.patient.InpatientStayRecorded;
import org.ccmledger.patient.PatientDied;
import org.ccmledger.patient.PatientDisenrolled;
import org.ccmledger.patient.PatientEnrolled;

/**
 * When a patient's care time can count, folded from the patient's stream: the billing location's zone, which defines
 * the calendar month and the day of each minute (P3, R1); inpatient stays (R4); the date of death (edge case 7: time
 * after that day does not count); and disenrollment (no time counts from its effective instant). Immutable.
 *
 * @param <S> what the caller keeps of the event each fact came from
 */
public record CareCalendar<S>(ZoneId zone, List<InpatientStay<S>> inpatientStays, LocalDate dateOfDeath,
                              S deathSource, Instant disenrolledAt, S disenrollmentSource) {

    public CareCalendar {
        inpatientStays = List.copyOf(inpatientStays);
    }

    /** Before the patient's enrollment. */
    public static <S> CareCalendar<S> none() {
        return new CareCalendar<>(null, List.of(), null, null, null, null);
    }

    /**
     * The events the fold reads: the enrollment, an inpatient stay, death, disenrollment. A read model that keeps them
     * handles these types only, so that no other event's payload is read for it.
     */
    public static final Set<Class<?>> EVENTS = Set.of(PatientEnrolled.class, InpatientStayRecorded.class,
                                                      PatientDied.class, PatientDisenrolled.class);

    /** Whether the fold reads {@code event} (one of {@link #EVENTS}). */
    public static boolean concerns(Object event) {
        return event != null && EVENTS.contains(event.getClass());
    }

    public CareCalendar<S> apply(Object event, S source) {
        if (event instanceof PatientEnrolled e) {
            return new CareCalendar<>(e.timeZone(), inpatientStays, dateOfDeath, deathSource, disenrolledAt,
                                      disenrollmentSource);
        }
        if (event instanceof InpatientStayRecorded e) {
            List<InpatientStay<S>> stays = new ArrayList<>(inpatientStays);
            stays.add(new InpatientStay<>(e.admittedOn(), e.dischargedOn(), source));
            return new CareCalendar<>(zone, stays, dateOfDeath, deathSource, disenrolledAt, disenrollmentSource);
        }
        if (event instanceof PatientDied e) {
            return new CareCalendar<>(zone, inpatientStays, e.dateOfDeath(), source, disenrolledAt,
                                      disenrollmentSource);
        }
        if (event instanceof PatientDisenrolled e) {
            return new CareCalendar<>(zone, inpatientStays, dateOfDeath, deathSource, e.effectiveAt(), source);
        }
        return this;
    }

    /** When care ends: the end of the day of death or the disenrollment, whichever is first; {@code null}: not ended. */
    public Instant endOfCare() {
        Instant afterDeath = dateOfDeath == null ? null : dateOfDeath.plusDays(1).atStartOfDay(zone).toInstant();
        if (afterDeath == null || disenrolledAt == null) {
            return afterDeath == null ? disenrolledAt : afterDeath;
        }
        return afterDeath.isBefore(disenrolledAt) ? afterDeath : disenrolledAt;
    }

    /** The first instant of {@code month} in the billing location's zone. */
    public Instant monthStart(YearMonth month) {
        return month.atDay(1).atStartOfDay(zone).toInstant();
    }

    /** The first instant after {@code month} in the billing location's zone. */
    public Instant monthEnd(YearMonth month) {
        return monthStart(month.plusMonths(1));
    }

    /**
     * Whether the clock minute starting at {@code minute} counts toward {@code month}: its local date lies in the
     * month (P3, R1), is not an inpatient day (R4) nor after the day of death, and it starts before disenrollment.
     */
    public boolean counts(Instant minute, YearMonth month) {
        LocalDate day = minute.atZone(zone).toLocalDate();
        return countsOn(day, month) && (disenrolledAt == null || minute.isBefore(disenrolledAt));
    }

    /**
     * For each of {@code count} clock minutes from {@code firstMinute} (in minutes since the epoch), whether it
     * counts toward {@code month}, as {@link #counts} answers for it: the zone's offset is looked up once per period
     * between its transitions and each local date's rules once per date, not once per minute.
     */
    public boolean[] countsEach(long firstMinute, int count, YearMonth month) {
        boolean[] counts = new boolean[Math.max(0, count)];
        ZoneRules rules = zone.getRules();
        long offsetUntil = Long.MIN_VALUE;
        long offset = 0;
        long day = Long.MIN_VALUE;
        boolean dayCounts = false;
        for (int i = 0; i < counts.length; i++) {
            long second = (firstMinute + i) * 60;
            if (second >= offsetUntil) {
                Instant at = Instant.ofEpochSecond(second);
                offset = rules.getOffset(at).getTotalSeconds();
                ZoneOffsetTransition next = rules.nextTransition(at);
                offsetUntil = next == null ? Long.MAX_VALUE : next.getInstant().getEpochSecond();
            }
            // the local date as ZonedDateTime.ofInstant works it out: the epoch second plus the offset, in days
            long localDay = Math.floorDiv(second + offset, 86_400);
            if (localDay != day) {
                day = localDay;
                dayCounts = countsOn(LocalDate.ofEpochDay(localDay), month);
            }
            counts[i] = dayCounts && (disenrolledAt == null || Instant.ofEpochSecond(second).isBefore(disenrolledAt));
        }
        return counts;
    }

    /** Whether a minute on the local date {@code day} can count toward {@code month}, disenrollment aside. */
    private boolean countsOn(LocalDate day, YearMonth month) {
        return YearMonth.from(day).equals(month)
               && (dateOfDeath == null || !day.isAfter(dateOfDeath))
               && inpatientStays.stream().noneMatch(stay -> stay.contains(day));
    }
}
