package org.ccmledger.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.ccmledger.caretime.api.CareActivity;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareTimeRequester;
import org.ccmledger.caretime.api.LogCareMinutes;
import org.ccmledger.caretime.api.Performer;
import org.ccmledger.caretime.api.PerformerRole;
import org.ccmledger.caretime.api.TimeEntryId;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.CorrectCareMinutes;
import org.ccmledger.caretime.api.VoidCareMinutes;
import org.ccmledger.consent.api.ConsentDecision;
import org.ccmledger.consent.api.ConsentDeclined;
import org.ccmledger.consent.api.ConsentMethod;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.consent.api.Disclosures;
import org.ccmledger.consent.api.RecordConsent;
import org.ccmledger.consent.api.RevokeConsent;
import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.ChangeBillingPractitioner;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.EnrollPatient;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PatientDied;
import org.ccmledger.patient.PatientDisenrolled;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.platform.problem.Refusal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PatientEnrollmentTest {

    /** The ICD-10-CM editions shipped with the service (R7). */
    static final org.ccmledger.codeset.api.DiagnosisCodes SHIPPED_CODES =
            org.ccmledger.codeset.Icd10CodeSets.shippedOnly();

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
        fixture.registerInjectableResource(SHIPPED_CODES);
    }

    private static PatientEnrolled enrolled() {
        return new PatientEnrolled(ID, NPI, NEW_YORK, List.of(DIABETES, HYPERTENSION), false);
    }

    private static final Disclosures ALL_TOLD = new Disclosures(true, true, true, true);
    private static final Instant CONSENTED_AT = Instant.parse("2026-01-01T15:00:00Z");

    private static ConsentRecorded consented() {
        return new ConsentRecorded(ID, ConsentMethod.VERBAL, CONSENTED_AT, "rn-7", NPI, null, ALL_TOLD);
    }

    private static RecordConsent consent(ConsentDecision decision, Npi npi, Disclosures disclosures) {
        return new RecordConsent(ID, ConsentMethod.WRITTEN, decision, CONSENTED_AT, "rn-7", npi, "doc-1", disclosures);
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
               .andGiven(enrolled(), consented())
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(3600), 20))
               .expectEvents(new CareMinutesLogged(ID, new TimeEntryId("e1"), new Performer("rn-7",
                       PerformerRole.CLINICAL_STAFF), NOW.minusSeconds(3600), 20, CareActivity.MEDICATION_MANAGEMENT,
                                                   null));
    }

    @Test
    @DisplayName("R3: non-clinical staff time is refused")
    void nonClinicalMinutesAreRefused() {
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled(), consented())
               .when(log("e1", PerformerRole.NON_CLINICAL, NOW.minusSeconds(3600), 20))
               .expectException(Refusal.class)
               .expectExceptionMessage(org.hamcrest.Matchers.containsString("R3"))
               .expectNoEvents();
    }

    @Test
    @DisplayName("P2: an entry has a start and 1 to 1440 minutes")
    void zeroOrMoreThanADayOfMinutesIsRefused() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented())
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(86_400 * 2), 0))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented())
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(86_400 * 2), 1441))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("P2: time that ends in the future is refused")
    void timeThatEndsInTheFutureIsRefused() {
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled(), consented())
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(600), 20))
               .expectException(Refusal.class)
               .expectNoEvents();
    }

    @Test
    void anEntryIdIsUsedOnce() {
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled(), consented(), new CareMinutesLogged(ID, new TimeEntryId("e1"),
                                                        new Performer("rn-7", PerformerRole.CLINICAL_STAFF),
                                                        NOW.minusSeconds(7200), 10, CareActivity.OTHER, null))
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(3600), 20))
               .expectException(Refusal.class)
               .expectNoEvents();
    }

    @Test
    @DisplayName("R8: consent with all four disclosures is recorded")
    void consentWithEveryDisclosureIsRecorded() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(consent(ConsentDecision.ACCEPTED, NPI, ALL_TOLD))
               .expectEvents(new ConsentRecorded(ID, ConsentMethod.WRITTEN, CONSENTED_AT, "rn-7", NPI, "doc-1",
                                                 ALL_TOLD));
    }

    @Test
    @DisplayName("R8: consent without one of the four disclosures is refused")
    void consentWithoutTheRightToStopDisclosureIsRefused() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(consent(ConsentDecision.ACCEPTED, NPI, new Disclosures(true, true, true, false)))
               .expectException(Refusal.class)
               .expectExceptionMessage(org.hamcrest.Matchers.containsString("R8"))
               .expectNoEvents();
    }

    @Test
    @DisplayName("R8: a declined consent is recorded as declined and time stays refused")
    void aDeclinedConsentIsRecordedAndAllowsNoTime() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(consent(ConsentDecision.DECLINED, NPI, ALL_TOLD))
               .expectEvents(new ConsentDeclined(ID, ConsentMethod.WRITTEN, CONSENTED_AT, "rn-7", NPI, "doc-1",
                                                 ALL_TOLD));
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled(), new ConsentDeclined(ID, ConsentMethod.WRITTEN, CONSENTED_AT, "rn-7", NPI, null,
                                                        ALL_TOLD))
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(3600), 20))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("R8: consent must be for the current billing practitioner")
    void consentForAnotherPractitionerIsRefused() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(consent(ConsentDecision.ACCEPTED, new Npi("1245319599"), ALL_TOLD))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("R8: time before the consent is refused")
    void timeBeforeConsentIsRefused() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented())
               .when(log("e1", PerformerRole.CLINICAL_STAFF, CONSENTED_AT.minusSeconds(3600), 20))
               .expectException(Refusal.class)
               .expectExceptionMessage(org.hamcrest.Matchers.containsString("R8"))
               .expectNoEvents();
    }

    @Test
    @DisplayName("R8: without any consent no time is logged")
    void timeWithoutConsentIsRefused() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(3600), 20))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("R8: a revocation takes effect at the end of the calendar month of the billing location")
    void revocationTakesEffectAtMonthEnd() {
        Instant revokedAt = Instant.parse("2026-10-10T15:00:00Z");
        Instant firstOfNovemberNewYork = Instant.parse("2026-11-01T04:00:00Z");
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented())
               .when(new RevokeConsent(ID, revokedAt, "patient request"))
               .expectEvents(new ConsentRevoked(ID, NPI, revokedAt, firstOfNovemberNewYork, "patient request"))
               .expectResultMessagePayload(firstOfNovemberNewYork);
    }

    @Test
    @DisplayName("R8: time later in the month of a revocation still counts; time after the month end does not")
    void timeAfterTheRevocationTakesEffectIsRefused() {
        Instant now = Instant.parse("2026-11-20T15:00:00Z");
        ConsentRevoked revoked = new ConsentRevoked(ID, NPI, Instant.parse("2026-10-10T15:00:00Z"),
                                                    Instant.parse("2026-11-01T04:00:00Z"), "patient request");
        fixture.givenCurrentTime(now).andGiven(enrolled(), consented(), revoked)
               .when(log("e1", PerformerRole.CLINICAL_STAFF, Instant.parse("2026-10-25T15:00:00Z"), 20))
               .expectSuccessfulHandlerExecution();
        fixture.givenCurrentTime(now).andGiven(enrolled(), consented(), revoked)
               .when(log("e2", PerformerRole.CLINICAL_STAFF, Instant.parse("2026-11-02T15:00:00Z"), 20))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("R8: after a change of billing practitioner time needs consent for the new one")
    void aNewPractitionerNeedsNewConsent() {
        Npi next = new Npi("1245319599");
        Instant changedAt = Instant.parse("2026-10-01T04:00:00Z");
        BillingPractitionerChanged changed = new BillingPractitionerChanged(ID, NPI, next, changedAt);
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented())
               .when(new ChangeBillingPractitioner(ID, next, changedAt))
               .expectEvents(changed);
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), changed)
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(3600), 20))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), changed)
               .when(log("e0", PerformerRole.CLINICAL_STAFF, Instant.parse("2026-09-15T15:00:00Z"), 20))
               .expectSuccessfulHandlerExecution();
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled(), consented(), changed,
                         new ConsentRecorded(ID, ConsentMethod.VERBAL, changedAt, "rn-7", next, null, ALL_TOLD))
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(3600), 20))
               .expectSuccessfulHandlerExecution();
    }

    private CareMinutesLogged loggedEntry() {
        return new CareMinutesLogged(ID, new TimeEntryId("e1"), new Performer("rn-7", PerformerRole.CLINICAL_STAFF),
                                     NOW.minusSeconds(7200), 10, CareActivity.OTHER, null);
    }

    @Test
    @DisplayName("P4: a correction is a new event carrying the previous values")
    void aCorrectionIsRecordedWithThePreviousValues() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), loggedEntry())
               .when(new CorrectCareMinutes(ID, new TimeEntryId("e1"), 25, null, "typed 10 for 25", "rn-7"))
               .expectEvents(new CareMinutesCorrected(ID, new TimeEntryId("e1"), NOW.minusSeconds(7200), 10,
                                                      NOW.minusSeconds(7200), 25, "typed 10 for 25"));
    }

    @Test
    @DisplayName("P4: a voided entry can be neither corrected nor voided again")
    void aVoidedEntryIsFinal() {
        CareMinutesVoided voided = new CareMinutesVoided(ID, new TimeEntryId("e1"), "wrong patient");
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), loggedEntry())
               .when(new VoidCareMinutes(ID, new TimeEntryId("e1"), "wrong patient", "rn-7"))
               .expectEvents(voided);
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), loggedEntry(), voided)
               .when(new CorrectCareMinutes(ID, new TimeEntryId("e1"), 25, null, "late fix", "rn-7"))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented())
               .when(new VoidCareMinutes(ID, new TimeEntryId("nope"), "?", "rn-7"))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("P4: only the person who performed the care corrects or voids its entry; the refusal is a 403")
    void someoneElsesEntryIsNeitherCorrectedNorVoided() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), loggedEntry())
               .when(new CorrectCareMinutes(ID, new TimeEntryId("e1"), 25, null, "mine now", "rn-8"))
               .expectException(Refusal.class)
               .expectExceptionMessage(org.hamcrest.Matchers.containsString("only the person who performed"))
               .expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), loggedEntry())
               .when(new VoidCareMinutes(ID, new TimeEntryId("e1"), "not mine", "rn-8"))
               .expectException(Refusal.class).expectNoEvents();
    }

    /** A refusal with this code. */
    private static org.hamcrest.Matcher<Refusal> refusal(String code) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Refusal refusal) {
                return code.equals(refusal.code());
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("a refusal with code " + code);
            }
        };
    }

    @Test
    @DisplayName("R3: care time is logged by the person who performed it, in a role they may log; refusals are 403s")
    void careTimeIsLoggedOnlyByThePersonWhoPerformedItInARoleTheyHave() {
        LogCareMinutes someoneElses = new LogCareMinutes(ID, new TimeEntryId("e9"),
                                                         new Performer("rn-8", PerformerRole.CLINICAL_STAFF),
                                                         NOW.minusSeconds(3600), 20, CareActivity.CARE_COORDINATION,
                                                         null, new CareTimeRequester("rn-7", java.util.Set.of(
                                                                 PerformerRole.CLINICAL_STAFF)));
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented())
               .when(someoneElses)
               .expectException(refusal("OWN_TIME_ONLY"))
               .expectNoEvents();

        LogCareMinutes asPractitioner = new LogCareMinutes(ID, new TimeEntryId("e9"),
                                                           new Performer("rn-7", PerformerRole.BILLING_PRACTITIONER),
                                                           NOW.minusSeconds(3600), 20,
                                                           CareActivity.CARE_COORDINATION, null,
                                                           new CareTimeRequester("rn-7", java.util.Set.of(
                                                                   PerformerRole.CLINICAL_STAFF)));
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented())
               .when(asPractitioner)
               .expectException(refusal("ROLE_REQUIRED"))
               .expectNoEvents();
    }

    @Test
    @DisplayName("P4: a correction obeys the rules a new entry obeys (R8: not before consent)")
    void aCorrectionIntoTimeBeforeConsentIsRefused() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), loggedEntry())
               .when(new CorrectCareMinutes(ID, new TimeEntryId("e1"), null, CONSENTED_AT.minusSeconds(60), "date",
                                             "rn-7"))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("Edge case 7: time up to the day of death counts, time after it does not")
    void timeAfterDeathIsRefused() {
        PatientDied died = new PatientDied(ID, java.time.LocalDate.parse("2026-10-10"));
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), died)
               .when(log("e1", PerformerRole.CLINICAL_STAFF, Instant.parse("2026-10-10T20:00:00Z"), 30))
               .expectSuccessfulHandlerExecution();
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), died)
               .when(log("e2", PerformerRole.CLINICAL_STAFF, Instant.parse("2026-10-11T14:00:00Z"), 30))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("R1: no care time counts after disenrollment")
    void timeAfterDisenrollmentIsRefused() {
        Instant ended = NOW.minusSeconds(86_400);
        fixture.givenCurrentTime(NOW)
               .andGiven(enrolled(), consented(), new PatientDisenrolled(ID, ended, "moved away"))
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(3600), 20))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    void deathAndDisenrollmentAreRecorded() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new org.ccmledger.patient.RecordDeath(ID, java.time.LocalDate.parse("2026-10-10")))
               .expectEvents(new PatientDied(ID, java.time.LocalDate.parse("2026-10-10")));
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new org.ccmledger.patient.DisenrollPatient(ID, NOW, "moved"))
               .expectEvents(new PatientDisenrolled(ID, NOW, "moved"));
    }

    @Test
    @DisplayName("P2: a date of death in the future is refused, the last representable date too (no overflow)")
    void aDeathInTheFutureIsRefused() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new org.ccmledger.patient.RecordDeath(ID, java.time.LocalDate.MAX))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new org.ccmledger.patient.RecordDeath(ID, NOW.atZone(java.time.ZoneOffset.UTC)
                                                                         .toLocalDate().plusDays(2)))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    void changingToTheSamePractitionerIsAConflict() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new ChangeBillingPractitioner(ID, NPI, NOW))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("R8: a revocation needs a consent in force; a second consent while one is in force is a conflict")
    void revocationAndConsentNeedTheRightState() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new RevokeConsent(ID, NOW, "stop"))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented())
               .when(consent(ConsentDecision.ACCEPTED, NPI, ALL_TOLD))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("R8: switching back to a former practitioner needs consent again")
    void aPractitionerChangeEndsTheOutgoingConsent() {
        Npi next = new Npi("1245319599");
        BillingPractitionerChanged away = new BillingPractitionerChanged(ID, NPI, next,
                                                                         Instant.parse("2026-05-01T04:00:00Z"));
        BillingPractitionerChanged back = new BillingPractitionerChanged(ID, next, NPI,
                                                                         Instant.parse("2026-08-01T04:00:00Z"));
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), away, back)
               .when(log("e1", PerformerRole.CLINICAL_STAFF, NOW.minusSeconds(3600), 20))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented(), away, back)
               .when(consent(ConsentDecision.ACCEPTED, NPI, ALL_TOLD))
               .expectSuccessfulHandlerExecution();
    }

    @Test
    @DisplayName("R8: declining while consent is in force is refused: the patient revokes instead")
    void declineWhileConsentIsInForceIsAConflict() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), consented())
               .when(consent(ConsentDecision.DECLINED, NPI, ALL_TOLD))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("R8/P4: a revocation recorded after the time it invalidates is refused until that time is voided")
    void aBackdatedRevocationWithLaterTimeIsRefused() {
        CareMinutesLogged november = new CareMinutesLogged(ID, new TimeEntryId("nov"),
                                                           new Performer("rn-7", PerformerRole.CLINICAL_STAFF),
                                                           Instant.parse("2026-11-10T15:00:00Z"), 20,
                                                           CareActivity.OTHER, null);
        Instant later = Instant.parse("2026-11-20T15:00:00Z");
        fixture.givenCurrentTime(later).andGiven(enrolled(), consented(), november)
               .when(new RevokeConsent(ID, Instant.parse("2026-10-05T15:00:00Z"), "told us in October"))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(later)
               .andGiven(enrolled(), consented(), november, new CareMinutesVoided(ID, new TimeEntryId("nov"), "no consent"))
               .when(new RevokeConsent(ID, Instant.parse("2026-10-05T15:00:00Z"), "told us in October"))
               .expectSuccessfulHandlerExecution();
    }

    @Test
    void aSecondDeathOrDisenrollmentIsAConflictAndAFutureChangeIsRefused() {
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), new PatientDied(ID, java.time.LocalDate.parse("2026-10-01")))
               .when(new org.ccmledger.patient.RecordDeath(ID, java.time.LocalDate.parse("2026-10-02")))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), new PatientDisenrolled(ID, NOW, "moved"))
               .when(new org.ccmledger.patient.DisenrollPatient(ID, NOW, "again"))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled())
               .when(new ChangeBillingPractitioner(ID, new Npi("1245319599"), NOW.plusSeconds(86_400 * 30)))
               .expectException(Refusal.class).expectNoEvents();
    }

    @Test
    @DisplayName("R6: a practitioner change cannot be backdated before the change that made the current one responsible")
    void practitionerChangesStayInOrder() {
        Npi second = new Npi("9876543213");
        Npi third = new Npi("1111111112");
        Instant firstChange = NOW.minusSeconds(86_400 * 5);
        BillingPractitionerChanged changed = new BillingPractitionerChanged(ID, NPI, second, firstChange);
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), changed)
               .when(new ChangeBillingPractitioner(ID, third, firstChange.minusSeconds(86_400)))
               .expectException(Refusal.class).expectNoEvents();
        fixture.givenCurrentTime(NOW).andGiven(enrolled(), changed)
               .when(new ChangeBillingPractitioner(ID, third, firstChange.plusSeconds(86_400)))
               .expectSuccessfulHandlerExecution();
    }
}
