package org.ccmledger.caretime.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.ccmledger.caretime.api.CountableMinutes.Totals;
import org.ccmledger.consent.api.ConsentMethod;
import org.ccmledger.consent.api.ConsentPeriods;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.consent.api.Disclosures;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.InpatientStayRecorded;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PatientDied;
import org.ccmledger.patient.PatientDisenrolled;
import org.ccmledger.patient.PatientEnrolled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The one function that counts a patient-month's minutes, for billing, the minutes view and the audit packet. */
class CountableMinutesTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final EnrollmentId ID = EnrollmentId.of("p1", "pt-1");
    private static final Npi NPI = new Npi("1234567893");
    private static final Npi OTHER = new Npi("9876543213");
    private static final Disclosures ALL_TOLD = new Disclosures(true, true, true, true);

    private final AtomicInteger ids = new AtomicInteger();
    private final PatientEnrolled enrolled = new PatientEnrolled(ID, NPI, NEW_YORK, List.of(
            new ChronicCondition("E11.9", "Type 2 diabetes", true, true),
            new ChronicCondition("I10", "Hypertension", true, true)), false);
    private final CareCalendar<Void> calendar = CareCalendar.<Void>none().apply(enrolled, null);
    private final ConsentPeriods<Void> consented = ConsentPeriods.<Void>none().apply(enrolled, null)
            .apply(consent(NPI, Instant.parse("2026-01-01T15:00:00Z")), null);

    private static ConsentRecorded consent(Npi npi, Instant at) {
        return new ConsentRecorded(ID, ConsentMethod.VERBAL, at, "rn-7", npi, null, ALL_TOLD);
    }

    private TimeEntry<Void> entry(String start, int minutes, PerformerRole role) {
        String performer = role == PerformerRole.BILLING_PRACTITIONER ? NPI.value() : "rn-7";
        return new TimeEntry<>("e" + ids.incrementAndGet(), new Performer(performer, role), Instant.parse(start),
                               minutes, false, List.of());
    }

    private Totals october(List<TimeEntry<Void>> entries) {
        return CountableMinutes.of(OCTOBER, NPI, calendar, consented, entries);
    }

    /**
     * P2, P3, R3 against a model that keeps every counted clock minute in a set: T is the union of everyone's minutes
     * whose local date (New York) is in October, the staff part the union of clinical staff's and other QHPs' (the
     * billing-practitioner role under another performer id among them), P the union of the practitioner's own. Entries
     * overlap, repeat, cross the month's edges and include voided and non-clinical ones.
     */
    @Property(tries = 300)
    @Label("P2, P3, R3: the counts are those of the sets of distinct clock minutes, however entries overlap")
    void countsAreThoseOfSetsOfDistinctMinutes(@ForAll("entries") List<TimeEntry<Void>> entries) {
        Set<Long> t = new HashSet<>();
        Set<Long> staff = new HashSet<>();
        Set<Long> p = new HashSet<>();
        for (TimeEntry<Void> entry : entries) {
            PerformerRole role = CountableMinutes.roleUnder(entry.performer(), NPI);
            if (entry.voided() || role == PerformerRole.NON_CLINICAL) {
                continue;
            }
            long first = entry.startedAt().getEpochSecond() / 60;
            for (long minute = first; minute < first + entry.minutes(); minute++) {
                if (YearMonth.from(Instant.ofEpochSecond(minute * 60).atZone(NEW_YORK)).equals(OCTOBER)) {
                    t.add(minute);
                    (role == PerformerRole.BILLING_PRACTITIONER ? p : staff).add(minute);
                }
            }
        }

        Totals totals = october(entries);

        assertThat(totals.counted()).isEqualTo(t.size());
        assertThat(totals.staff()).isEqualTo(staff.size());
        assertThat(totals.billingPractitioner()).isEqualTo(p.size());
    }

    @Provide
    Arbitrary<List<TimeEntry<Void>>> entries() {
        // from a day before October (local) to a day after it, in whole minutes
        long from = Instant.parse("2026-09-30T00:00:00Z").getEpochSecond() / 60;
        long to = Instant.parse("2026-11-02T06:00:00Z").getEpochSecond() / 60;
        Arbitrary<TimeEntry<Void>> entry = Combinators.combine(
                Arbitraries.longs().between(from, to), Arbitraries.integers().between(1, 240),
                Arbitraries.of(PerformerRole.values()), Arbitraries.of(NPI.value(), "rn-7", "np-2"),
                Arbitraries.integers().between(0, 9)).as((minute, minutes, role, performer, draw) ->
                new TimeEntry<>("e" + minute + "-" + minutes + "-" + draw, new Performer(performer, role),
                                Instant.ofEpochSecond(minute * 60), minutes, draw == 0, List.of()));
        return entry.list().ofMaxSize(40);
    }

    @Test
    @DisplayName("P2: two staff logging the same 20 minutes count 20 minutes once")
    void overlappingTimeCountsOnce() {
        Totals totals = october(List.of(entry("2026-10-05T13:00:00Z", 20, PerformerRole.CLINICAL_STAFF),
                                        entry("2026-10-05T13:10:00Z", 20, PerformerRole.OTHER_QHP)));

        assertThat(totals.counted()).isEqualTo(30);
    }

    @Test
    @DisplayName("R3: non-clinical time never counts; the practitioner's own time is also counted apart")
    void rolesCountAsR3Says() {
        Totals totals = october(List.of(entry("2026-10-05T13:00:00Z", 20, PerformerRole.CLINICAL_STAFF),
                                        entry("2026-10-06T13:00:00Z", 35, PerformerRole.BILLING_PRACTITIONER),
                                        entry("2026-10-07T13:00:00Z", 50, PerformerRole.NON_CLINICAL)));

        assertThat(List.of(totals.counted(), totals.billingPractitioner(), totals.staff()))
                .containsExactly(55, 35, 20);
        assertThat(totals.entryIds()).containsExactly("e1", "e2");
    }

    @Test
    @DisplayName("R3: time in the billing-practitioner role by anyone but the practitioner billed is another QHP's")
    void onlyThePractitionersOwnTimeIsP() {
        TimeEntry<Void> someoneElse = new TimeEntry<>("x", new Performer("dr-other", PerformerRole.BILLING_PRACTITIONER),
                                                      Instant.parse("2026-10-06T13:00:00Z"), 35, false, List.of());

        Totals totals = october(List.of(someoneElse));

        assertThat(List.of(totals.counted(), totals.billingPractitioner(), totals.staff()))
                .containsExactly(35, 0, 35);
    }

    @Test
    @DisplayName("R1/P3: only minutes of the month in the billing location's zone; an entry across month end is split")
    void monthsAreLocalAndNeverAdded() {
        // 31 Oct 23:50 in New York (EDT) for 25 minutes: 10 in October
        Totals totals = october(List.of(entry("2026-11-01T03:50:00Z", 25, PerformerRole.CLINICAL_STAFF),
                                        entry("2026-09-30T15:00:00Z", 30, PerformerRole.CLINICAL_STAFF)));

        assertThat(totals.counted()).isEqualTo(10);
    }

    @Test
    @DisplayName("R4 and edge case 7: inpatient days and time after the day of death do not count")
    void inpatientDaysAndTimeAfterDeathAreLeftOut() {
        List<TimeEntry<Void>> entries = List.of(entry("2026-10-05T15:00:00Z", 20, PerformerRole.CLINICAL_STAFF),
                                                entry("2026-10-09T15:00:00Z", 30, PerformerRole.CLINICAL_STAFF),
                                                entry("2026-10-20T15:00:00Z", 40, PerformerRole.CLINICAL_STAFF));
        CareCalendar<Void> withStayAndDeath = calendar
                .apply(new InpatientStayRecorded(ID, LocalDate.parse("2026-10-04"), LocalDate.parse("2026-10-06")),
                       null)
                .apply(new PatientDied(ID, LocalDate.parse("2026-10-15")), null);

        Totals totals = CountableMinutes.of(OCTOBER, NPI, withStayAndDeath, consented, entries);

        assertThat(totals.counted()).isEqualTo(30);
    }

    @Test
    @DisplayName("R1: no minute counts from disenrollment on")
    void timeFromDisenrollmentOnIsLeftOut() {
        CareCalendar<Void> disenrolled = calendar.apply(
                new PatientDisenrolled(ID, Instant.parse("2026-10-05T13:15:00Z"), "moved"), null);

        Totals totals = CountableMinutes.of(OCTOBER, NPI, disenrolled, consented,
                                            List.of(entry("2026-10-05T13:00:00Z", 30, PerformerRole.CLINICAL_STAFF)));

        assertThat(totals.counted()).isEqualTo(15);
    }

    @Test
    @DisplayName("P4: a voided entry counts nothing")
    void voidedEntriesDoNotCount() {
        TimeEntry<Void> voided = new TimeEntry<>("v", new Performer("rn-7", PerformerRole.CLINICAL_STAFF),
                                                 Instant.parse("2026-10-05T13:00:00Z"), 30, true, List.of());

        assertThat(october(List.of(voided)).counted()).isZero();
    }

    @Test
    @DisplayName("R8: time without the patient's consent for the practitioner, or after it ends, does not count")
    void timeWithoutConsentDoesNotCount() {
        ConsentPeriods<Void> none = ConsentPeriods.<Void>none().apply(enrolled, null);
        ConsentPeriods<Void> revoked = consented.apply(new ConsentRevoked(ID, NPI, Instant.parse("2026-09-10T15:00:00Z"),
                                                                          Instant.parse("2026-10-01T04:00:00Z"), "stop"),
                                                       null);
        List<TimeEntry<Void>> entries = List.of(entry("2026-10-05T13:00:00Z", 30, PerformerRole.CLINICAL_STAFF));

        assertThat(CountableMinutes.of(OCTOBER, NPI, calendar, none, entries).counted()).isZero();
        assertThat(CountableMinutes.of(OCTOBER, NPI, calendar, revoked, entries).counted()).isZero();
        assertThat(october(entries).counted()).isEqualTo(30);
    }

    @Test
    @DisplayName("R6: time counts toward the practitioner responsible when it started, under their consent")
    void timeCountsUnderThePractitionerResponsible() {
        ConsentPeriods<Void> changed = consented
                .apply(new BillingPractitionerChanged(ID, NPI, OTHER, Instant.parse("2026-10-10T04:00:00Z")), null)
                .apply(consent(OTHER, Instant.parse("2026-10-10T05:00:00Z")), null);
        List<TimeEntry<Void>> entries = List.of(entry("2026-10-05T13:00:00Z", 20, PerformerRole.CLINICAL_STAFF),
                                                entry("2026-10-12T13:00:00Z", 25, PerformerRole.CLINICAL_STAFF));

        assertThat(CountableMinutes.of(OCTOBER, NPI, calendar, changed, entries).counted()).isEqualTo(20);
        assertThat(CountableMinutes.of(OCTOBER, OTHER, calendar, changed, entries).counted()).isEqualTo(25);
    }
}
