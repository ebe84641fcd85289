package org.ccmledger.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.ccmledger.caretime.api.CareActivity;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.LogCareMinutes;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntryId;
import org.ccmledger.enrollment.api.ChronicCondition;
import org.ccmledger.enrollment.api.EnrollPatient;
import org.ccmledger.enrollment.api.EnrollmentId;
import org.ccmledger.enrollment.api.Npi;
import org.ccmledger.enrollment.api.PatientEnrolled;
import org.ccmledger.platform.problem.Refusal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PatientEnrollmentTest {

    private static final EnrollmentId ID = EnrollmentId.of("p1", "pt-1");
    private static final Npi NPI = new Npi("1234567893");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ChronicCondition DIABETES = new ChronicCondition("E11.9", "Type 2 diabetes", true, true);
    private static final ChronicCondition HYPERTENSION = new ChronicCondition("I10", "Hypertension", true, true);
    private static final Instant NOW = Instant.parse("2026-10-15T15:00:00Z");

    private FixtureConfiguration<PatientEnrollment> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(PatientEnrollment.class);
    }

    private static PatientEnrolled enrolled() {
        return new PatientEnrolled(ID, NPI, NEW_YORK, List.of(DIABETES, HYPERTENSION), false);
    }

    private static LogCareMinutes log(String entryId, PerformerRole role, Instant startedAt, int minutes) {
        return new LogCareMinutes(ID, new TimeEntryId(entryId), new Performer("rn-7", role), startedAt, minutes,
                                  CareActivity.MEDICATION_MANAGEMENT, null);
    }

    @Test
    @DisplayName("R7: a patient with two qualifying chronic conditions is enrolled")
    void enrollingWithTwoQualifyingConditionsRecordsTheEnrollment() {
        fixture.givenNoPriorActivity()
               .when(new EnrollPatient(ID, NPI, NEW_YORK, List.of(DIABETES, HYPERTENSION), false))
               .expectSuccessfulHandlerExecution()
               .expectEvents(enrolled());
    }

    @Test
    void enrollingAnEnrolledPatientAgainIsAConflictWithoutEvents() {
        fixture.given(enrolled())
               .when(new EnrollPatient(ID, NPI, NEW_YORK, List.of(DIABETES, HYPERTENSION), false))
               .expectException(Refusal.class)
               .expectNoEvents();
    }

    @Test
    @DisplayName("R7: fewer than two conditions that last 12 months and carry significant risk is refused")
    void enrollingWithoutTwoQualifyingConditionsIsRefused() {
        ChronicCondition shortLived = new ChronicCondition("J06.9", "Acute URI", false, true);
        fixture.givenNoPriorActivity()
               .when(new EnrollPatient(ID, NPI, NEW_YORK, List.of(DIABETES, shortLived), false))
               .expectException(Refusal.class)
               .expectExceptionMessage(org.hamcrest.Matchers.containsString("R7"))
               .expectNoEvents();
    }

    @Test
    @DisplayName("R7: condition codes must be ICD-10-CM")
    void aConditionCodeThatIsNotIcd10IsRefused() {
        Refusal refusal = org.junit.jupiter.api.Assertions.assertThrows(
                Refusal.class, () -> new ChronicCondition("diabetes", "Type 2 diabetes", true, true));
        assertThat(refusal.rule()).isEqualTo("R7");
        assertThat(new ChronicCondition("E11.65", "T2DM with hyperglycemia", true, true).qualifies()).isTrue();
    }

    @Test
    void anNpiWithAWrongCheckDigitIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(Refusal.class, () -> new Npi("1234567890"));
        assertThat(new Npi("1234567893").value()).isEqualTo("1234567893");
    }

    @Test
    void clinicalStaffMinutesAreLogged() {
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled())
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(3600), 20))
               .expectEvents(new CareMinutesLogged(ID, new TimeEntryId("e1"), new Performer("rn-7",
                       PerformerRole.CLINICAL_STAFF), NOW.minusSeconds(3600), 20, CareActivity.MEDICATION_MANAGEMENT,
                                                   null));
    }

    @Test
    @DisplayName("R3: non-clinical staff time is refused")
    void nonClinicalMinutesAreRefused() {
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled())
               .when(log("e1", PerformerRole.NON_CLINICAL, NOW.minusSeconds(3600), 20))
               .expectException(Refusal.class)
               .expectExceptionMessage(org.hamcrest.Matchers.containsString("R3"))
               .expectNoEvents();
    }

    @Test
    void zeroOrMoreThanADayOfMinutesIsRefused() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(86_400 * 2), 0))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(86_400 * 2), 1441))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    void timeThatEndsInTheFutureIsRefused() {
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled())
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(600), 20))
               .expectException(Refusal.class)
               .expectNoEvents();
    }

    @Test
    void anEntryIdIsUsedOnce() {
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled(), new CareMinutesLogged(ID, new TimeEntryId("e1"),
                                                        new Performer("rn-7", PerformerRole.CLINICAL_STAFF),
                                                        NOW.minusSeconds(7200), 10, CareActivity.OTHER, null))
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(3600), 20))
               .expectException(Refusal.class)
               .expectNoEvents();
    }
}
