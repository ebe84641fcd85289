package org.ccmledger.caretime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;

import org.ccmledger.caretime.api.MonthShare;
import org.ccmledger.caretime.api.CareActivity;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.FindMonthlyMinutes;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntryId;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.ledger.LedgerFixture;
import org.junit.jupiter.api.AfterEach;
import org.ccmledger.consent.api.ConsentMethod;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.Disclosures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MonthlyMinutesProjectionTest {

    private static final EnrollmentId ID = EnrollmentId.of("p1", "pt-1");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private LedgerFixture store;
    private long sequence;
    private MonthlyMinutesProjection testSubject;
    private MonthlyMinutesQueries queries;

    @BeforeEach
    void setUp() {
        store = LedgerFixture.inMemory();
        testSubject = new MonthlyMinutesProjection(store.database());
        queries = new MonthlyMinutesQueries(store.database());
        testSubject.on(new PatientEnrolled(ID, new Npi("1234567893"), NEW_YORK, List.of(
                new ChronicCondition("E11.9", "Type 2 diabetes", true, true),
                new ChronicCondition("I10", "Hypertension", true, true)), false), 0L);
        // R8: time counts under the patient's consent, as billing counts it
        testSubject.on(new ConsentRecorded(ID, ConsentMethod.VERBAL, Instant.parse("2026-01-01T15:00:00Z"), "rn-7",
                                           new Npi("1234567893"), null, new Disclosures(true, true, true, true)),
                       0L);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static CareMinutesLogged logged(String entryId, PerformerRole role, String startedAt, int minutes) {
        return new CareMinutesLogged(ID, new TimeEntryId(entryId), new Performer("rn-7", role),
                                     Instant.parse(startedAt), minutes, CareActivity.CARE_COORDINATION, null);
    }

    private int minutes(String month) {
        return queries.handle(new FindMonthlyMinutes(ID, YearMonth.parse(month))).minutes();
    }

    @Test
    @DisplayName("P3: the month is the billing location's month, not UTC's")
    void minutesCountInTheMonthOfTheBillingLocation() {
        // 1 Nov 02:00 UTC is still 31 Oct 22:00 in New York
        testSubject.on(logged("e1", PerformerRole.CLINICAL_STAFF, "2026-11-01T02:00:00Z", 15), ++sequence);

        assertThat(minutes("2026-10")).isEqualTo(15);
        assertThat(minutes("2026-11")).isZero();
    }

    @Test
    @DisplayName("P3: an entry across local midnight at month end is split between the months")
    void anEntryAcrossMonthEndIsSplit() {
        // 31 Oct 23:50 New York (EDT, UTC-4) for 25 minutes: 10 in October, 15 in November
        testSubject.on(logged("e1", PerformerRole.CLINICAL_STAFF, "2026-11-01T03:50:00Z", 25), ++sequence);

        assertThat(minutes("2026-10")).isEqualTo(10);
        assertThat(minutes("2026-11")).isEqualTo(15);
    }

    @Test
    @DisplayName("R1: minutes of different months are never added together")
    void monthsAreKeptApart() {
        testSubject.on(logged("e1", PerformerRole.CLINICAL_STAFF, "2026-01-31T15:00:00Z", 12), ++sequence);
        testSubject.on(logged("e2", PerformerRole.CLINICAL_STAFF, "2026-02-01T15:00:00Z", 10), ++sequence);

        assertThat(minutes("2026-01")).isEqualTo(12);
        assertThat(minutes("2026-02")).isEqualTo(10);
    }

    @Test
    @DisplayName("R3: non-clinical time never counts")
    void nonClinicalTimeIsNotCounted() {
        testSubject.on(logged("e1", PerformerRole.NON_CLINICAL, "2026-10-10T15:00:00Z", 30), ++sequence);
        testSubject.on(logged("e2", PerformerRole.OTHER_QHP, "2026-10-10T16:00:00Z", 5), ++sequence);

        assertThat(minutes("2026-10")).isEqualTo(5);
    }

    @Test
    void aRedeliveredEventIsCountedOnce() {
        CareMinutesLogged event = logged("e1", PerformerRole.CLINICAL_STAFF, "2026-10-10T15:00:00Z", 20);
        testSubject.on(event, 1L);
        testSubject.on(event, 1L);

        assertThat(minutes("2026-10")).isEqualTo(20);
    }

    @Test
    @DisplayName("P4: a correction replaces the entry's minutes and months; a void removes them")
    void correctionsAndVoidsApply() {
        testSubject.on(logged("e1", PerformerRole.CLINICAL_STAFF, "2026-10-10T15:00:00Z", 20), 1L);
        testSubject.on(logged("e2", PerformerRole.CLINICAL_STAFF, "2026-10-11T15:00:00Z", 30), 2L);
        testSubject.on(new CareMinutesCorrected(ID, new TimeEntryId("e1"), Instant.parse("2026-10-10T15:00:00Z"), 20,
                                                Instant.parse("2026-11-02T15:00:00Z"), 25, "wrong date"), 3L);
        testSubject.on(new CareMinutesVoided(ID, new TimeEntryId("e2"), "logged twice"), 4L);

        assertThat(minutes("2026-10")).isZero();
        assertThat(minutes("2026-11")).isEqualTo(25);
    }

    @Test
    void eventsOfAnEntryDeliveredOutOfOrderGiveTheSameTotal() {
        CareMinutesLogged logged = logged("e1", PerformerRole.CLINICAL_STAFF, "2026-10-10T15:00:00Z", 20);
        CareMinutesCorrected corrected = new CareMinutesCorrected(ID, new TimeEntryId("e1"),
                                                                  Instant.parse("2026-10-10T15:00:00Z"), 20,
                                                                  Instant.parse("2026-10-10T15:00:00Z"), 35, "typo");
        testSubject.on(corrected, 2L);
        testSubject.on(logged, 1L);

        assertThat(minutes("2026-10")).isEqualTo(35);
    }

    @Test
    @DisplayName("R4: minutes on inpatient days do not count, recorded before or after the stay")
    void inpatientDaysAreExcluded() {
        testSubject.on(logged("e1", PerformerRole.CLINICAL_STAFF, "2026-10-05T15:00:00Z", 20), 1L);
        testSubject.on(logged("e2", PerformerRole.CLINICAL_STAFF, "2026-10-09T15:00:00Z", 30), 2L);
        testSubject.on(new org.ccmledger.patient.InpatientStayRecorded(
                ID, java.time.LocalDate.parse("2026-10-04"), java.time.LocalDate.parse("2026-10-06")), 3L);

        assertThat(minutes("2026-10")).isEqualTo(30);
    }

    @Test
    @DisplayName("Edge case 7: minutes after the day of death do not count")
    void timeAfterDeathIsExcluded() {
        testSubject.on(logged("e1", PerformerRole.CLINICAL_STAFF, "2026-10-05T15:00:00Z", 20), 1L);
        testSubject.on(logged("e2", PerformerRole.CLINICAL_STAFF, "2026-10-12T15:00:00Z", 30), 2L);
        testSubject.on(new org.ccmledger.patient.PatientDied(ID, java.time.LocalDate.parse("2026-10-10")), 3L);

        assertThat(minutes("2026-10")).isEqualTo(20);
    }

    @Test
    void aResetEmptiesTheReadModel() {
        testSubject.on(logged("e1", PerformerRole.CLINICAL_STAFF, "2026-10-10T15:00:00Z", 20), ++sequence);
        testSubject.reset();

        org.junit.jupiter.api.Assertions.assertThrows(org.ccmledger.platform.problem.Refusal.class,
                                                      () -> minutes("2026-10"));
    }

    @Test
    void splittingKeepsEveryMinute() {
        assertThat(MonthShare.split(Instant.parse("2026-11-01T03:59:30Z"), 3, NEW_YORK))
                .as("a minute belongs to the month it starts in")
                .containsExactly(new MonthShare(YearMonth.of(2026, 10), 1), new MonthShare(YearMonth.of(2026, 11), 2));
        assertThat(MonthShare.split(Instant.parse("2026-11-01T03:58:30Z"), 3, NEW_YORK))
                .containsExactly(new MonthShare(YearMonth.of(2026, 10), 2), new MonthShare(YearMonth.of(2026, 11), 1));
    }
}
