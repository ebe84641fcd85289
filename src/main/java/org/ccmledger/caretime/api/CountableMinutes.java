package org.ccmledger.caretime.api;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.patient.Npi;

/**
 * The countable minutes of one patient-month under one billing practitioner: the one answer to "how many minutes does
 * this patient have this month", used by the minutes read model, billing and the audit packet alike.
 * <ul>
 *   <li>P4: only live entries (corrections applied, voids left out).</li>
 *   <li>R6, R8: only time started while {@code practitioner} was responsible and covered by the patient's consent for
 *       them.</li>
 *   <li>P2: each clock minute counts once per patient, whoever logged it (the union of the intervals).</li>
 *   <li>P3, R1: a minute counts in the month of the local date it starts on in the billing location's zone.</li>
 *   <li>R4, edge case 7, disenrollment: not on inpatient days, after the day of death or from disenrollment on
 *       ({@link CareCalendar#counts}).</li>
 *   <li>R3: T ({@code counted}) is clinical staff, other qualified health professionals and the billing practitioner;
 *       {@code billingPractitioner} (P, for 99491/99437) only the practitioner's own time, logged in that role under
 *       their NPI, which anyone else's time in that role is not; non-clinical staff never count.</li>
 * </ul>
 */
public final class CountableMinutes {

    /**
     * The month's minutes: T, the staff part (clinical staff and other QHPs, each minute once), P, and the entries
     * that gave at least one countable minute, in entry-id order.
     */
    public record Totals(int counted, int staff, int billingPractitioner, List<String> entryIds) {

        public Totals {
            entryIds = List.copyOf(entryIds);
        }
    }

    private CountableMinutes() {
    }

    public static Totals of(YearMonth month, Npi practitioner, CareCalendar<?> calendar, ConsentPeriods<?> consents,
                            Collection<? extends TimeEntry<?>> entries) {
        MinuteSet counted = new MinuteSet();
        MinuteSet staff = new MinuteSet();
        MinuteSet personal = new MinuteSet();
        List<String> contributing = new ArrayList<>();
        for (TimeEntry<?> entry : entries) {
            PerformerRole role = roleUnder(entry.performer(), practitioner);
            if (entry.voided() || !role.countsTowardCcm()
                || !consents.practitionerAt(entry.startedAt()).npi().equals(practitioner)
                || !consents.coversFor(practitioner, entry.startedAt(), entry.end())) {
                continue;
            }
            long firstMinute = Math.floorDiv(entry.startedAt().getEpochSecond(), 60);
            boolean contributes = false;
            boolean[] countable = calendar.countsEach(firstMinute, entry.minutes(), month);
            for (int i = 0; i < countable.length; i++) {
                if (!countable[i]) {
                    continue;
                }
                long minute = firstMinute + i;
                contributes = true;
                counted.add(minute);
                (role == PerformerRole.BILLING_PRACTITIONER ? personal : staff).add(minute);
            }
            if (contributes) {
                contributing.add(entry.entryId());
            }
        }
        return new Totals(counted.distinct(), staff.distinct(), personal.distinct(),
                          contributing.stream().sorted().toList());
    }

    /**
     * Clock minutes (minutes since the epoch) counted once however often they are added (P2): kept as numbers and
     * sorted once at the end, where a set of boxed minutes cost a third of counting a month's minutes.
     */
    private static final class MinuteSet {
        private long[] minutes = new long[64];
        private int size;

        void add(long minute) {
            if (size == minutes.length) {
                minutes = Arrays.copyOf(minutes, size * 2);
            }
            minutes[size++] = minute;
        }

        int distinct() {
            Arrays.sort(minutes, 0, size);
            int distinct = 0;
            for (int i = 0; i < size; i++) {
                if (i == 0 || minutes[i] != minutes[i - 1]) {
                    distinct++;
                }
            }
            return distinct;
        }
    }

    /**
     * R3: time logged in the billing-practitioner role is P only when its performer is the practitioner billed
     * (performer id = NPI); anyone else's in that role is another qualified health professional's, which counts
     * toward T.
     */
    public static PerformerRole roleUnder(Performer performer, Npi practitioner) {
        if (performer.role() == PerformerRole.BILLING_PRACTITIONER && !performer.id().equals(practitioner.value())) {
            return PerformerRole.OTHER_QHP;
        }
        return performer.role();
    }
}
