package org.ccmledger.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ccmledger.caretime.api.PerformerRole;

/**
 * The countable minutes T and P of one patient-month, from the patient's live time entries (voids and corrections
 * already applied).
 * <p>
 * Each clock minute counts once per patient, whoever logged it (P2: the union of the intervals), in the month of the
 * local date it starts on in the billing location's zone (P3, R1). T counts clinical staff, other qualified health
 * professionals and the billing practitioner; P counts the billing practitioner alone (R3: for 99491/99437); non-clinical
 * staff never count. Minutes on inpatient days (R4: admission to discharge day, inclusive) and after the day of death
 * (edge case 7) do not count.
 */
final class CountableMinutes {

    /** One live time entry. */
    record Entry(Instant startedAt, int minutes, PerformerRole role) {
    }

    /** Days that do not count: an inpatient stay, both ends included. */
    record ExcludedDays(LocalDate from, LocalDate to) {
        boolean contains(LocalDate day) {
            return !day.isBefore(from) && !day.isAfter(to);
        }
    }

    /** T and P of the month, in minutes, and the staff part (clinical staff and other QHPs, each minute once). */
    record Totals(int counted, int practitioner, int staff) {
    }

    private CountableMinutes() {
    }

    static Totals of(YearMonth month, ZoneId zone, List<Entry> entries, List<ExcludedDays> inpatient,
                     LocalDate dateOfDeath) {
        Set<Long> counted = new HashSet<>();
        Set<Long> practitioner = new HashSet<>();
        Set<Long> staff = new HashSet<>();
        for (Entry entry : entries) {
            if (!entry.role().countsTowardCcm()) {
                continue;
            }
            long firstMinute = Math.floorDiv(entry.startedAt().getEpochSecond(), 60);
            for (long minute = firstMinute; minute < firstMinute + entry.minutes(); minute++) {
                LocalDate day = Instant.ofEpochSecond(minute * 60).atZone(zone).toLocalDate();
                if (!YearMonth.from(day).equals(month) || (dateOfDeath != null && day.isAfter(dateOfDeath))
                        || inpatient.stream().anyMatch(stay -> stay.contains(day))) {
                    continue;
                }
                counted.add(minute);
                if (entry.role() == PerformerRole.BILLING_PRACTITIONER) {
                    practitioner.add(minute);
                } else {
                    staff.add(minute);
                }
            }
        }
        return new Totals(counted.size(), practitioner.size(), staff.size());
    }
}
