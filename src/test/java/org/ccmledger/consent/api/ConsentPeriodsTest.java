package org.ccmledger.consent.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.ccmledger.patient.BillingPractitionerChanged;
import org.ccmledger.patient.ChronicCondition;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.Npi;
import org.ccmledger.patient.PatientEnrolled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one consent fold (R6, R8) the aggregate, the consents read model, billing and audit all read. */
class ConsentPeriodsTest {

    private static final EnrollmentId ID = EnrollmentId.of("p1", "pt-1");
    private static final Npi NPI = new Npi("1234567893");
    private static final Npi NEXT = new Npi("9876543213");
    private static final Disclosures ALL_TOLD = new Disclosures(true, true, true, true);
    private static final Instant JANUARY = Instant.parse("2026-01-05T15:00:00Z");
    private static final Instant MAY_10 = Instant.parse("2026-05-10T18:00:00Z");
    private static final Instant JUNE = Instant.parse("2026-06-01T04:00:00Z");
    private static final Instant SEPTEMBER = Instant.parse("2026-09-01T04:00:00Z");

    private final ConsentPeriods<String> enrolled = ConsentPeriods.<String>none().apply(
            new PatientEnrolled(ID, NPI, ZoneId.of("America/New_York"), List.of(
                    new ChronicCondition("E11.9", "Type 2 diabetes", true, true),
                    new ChronicCondition("I10", "Hypertension", true, true)), false), "e0");

    private static ConsentRecorded accepted(Npi npi, Instant at) {
        return new ConsentRecorded(ID, ConsentMethod.VERBAL, at, "rn-7", npi, null, ALL_TOLD);
    }

    @Test
    @DisplayName("R8: an accepted consent covers time from when it was obtained, and is in force until it ends")
    void anAcceptedConsentCoversTimeFromWhenItWasObtained() {
        ConsentPeriods<String> periods = enrolled.apply(accepted(NPI, JANUARY), "e1");

        assertThat(periods.inForce(NPI)).get().extracting(ConsentPeriod::source).isEqualTo("e1");
        assertThat(periods.covers(JANUARY, JANUARY.plusSeconds(1200))).isTrue();
        assertThat(periods.covers(JANUARY.minusSeconds(60), JANUARY.plusSeconds(1200))).isFalse();
    }

    @Test
    @DisplayName("R8: a revocation ends the consent at month end, not when it was said")
    void aRevocationEndsTheConsentWhenItTakesEffect() {
        ConsentPeriods<String> periods = enrolled.apply(accepted(NPI, JANUARY), "e1")
                .apply(new ConsentRevoked(ID, NPI, MAY_10, JUNE, "asked to stop"), "e2");

        ConsentPeriod<String> consent = periods.decisions().get(0);
        assertThat(consent.status()).isEqualTo(ConsentStatus.REVOKED);
        assertThat(consent.until()).isEqualTo(JUNE);
        assertThat(consent.end().source()).isEqualTo("e2");
        assertThat(consent.end().revokedAt()).isEqualTo(MAY_10);
        assertThat(periods.inForce(NPI)).isEmpty();
        assertThat(periods.covers(MAY_10.plusSeconds(86_400), MAY_10.plusSeconds(87_600))).isTrue();
        assertThat(periods.covers(JUNE, JUNE.plusSeconds(600))).isFalse();
    }

    @Test
    @DisplayName("R6, R8: a practitioner change ends the former practitioner's consent; the new one needs their own")
    void aPractitionerChangeEndsTheFormerConsent() {
        ConsentPeriods<String> periods = enrolled.apply(accepted(NPI, JANUARY), "e1")
                .apply(new BillingPractitionerChanged(ID, NPI, NEXT, SEPTEMBER), "e2");

        ConsentPeriod<String> consent = periods.decisions().get(0);
        assertThat(consent.status()).isEqualTo(ConsentStatus.ENDED_BY_PRACTITIONER_CHANGE);
        assertThat(consent.end().nextPractitioner()).isEqualTo(NEXT);
        assertThat(periods.currentPractitioner()).isEqualTo(NEXT);
        assertThat(periods.practitionerAt(SEPTEMBER.minusSeconds(1)).npi()).isEqualTo(NPI);
        assertThat(periods.covers(SEPTEMBER.plusSeconds(60), SEPTEMBER.plusSeconds(600))).isFalse();

        ConsentPeriods<String> consented = periods.apply(accepted(NEXT, SEPTEMBER.plusSeconds(3600)), "e3");
        assertThat(consented.covers(SEPTEMBER.plusSeconds(3600), SEPTEMBER.plusSeconds(4800))).isTrue();
        assertThat(consented.practitionersDuring(SEPTEMBER.minusSeconds(86_400), SEPTEMBER.plusSeconds(86_400)))
                .extracting(PractitionerPeriod::npi).containsExactly(NPI, NEXT);
    }

    @Test
    @DisplayName("R8: a practitioner change after a revocation leaves the consent revoked")
    void aChangeAfterARevocationLeavesItRevoked() {
        ConsentPeriods<String> periods = enrolled.apply(accepted(NPI, JANUARY), "e1")
                .apply(new ConsentRevoked(ID, NPI, MAY_10, JUNE, "stop"), "e2")
                .apply(new BillingPractitionerChanged(ID, NPI, NEXT, SEPTEMBER), "e3");

        assertThat(periods.decisions()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(ConsentStatus.REVOKED);
            assertThat(c.until()).isEqualTo(JUNE);
        });
    }

    @Test
    @DisplayName("R8: a declined consent is recorded and never covers time")
    void aDeclinedConsentNeverCovers() {
        ConsentPeriods<String> periods = enrolled.apply(
                new ConsentDeclined(ID, ConsentMethod.WRITTEN, JANUARY, "rn-7", NPI, "doc", ALL_TOLD), "e1");

        assertThat(periods.decisions()).singleElement().extracting(ConsentPeriod::status)
                                       .isEqualTo(ConsentStatus.DECLINED);
        assertThat(periods.inForce(NPI)).isEmpty();
        assertThat(periods.covers(JANUARY.plusSeconds(60), JANUARY.plusSeconds(600))).isFalse();
    }

    @Test
    void eventsItDoesNotConcernLeaveItAsItIs() {
        Object other = new org.ccmledger.patient.PatientDied(ID, java.time.LocalDate.parse("2026-10-10"));

        assertThat(ConsentPeriods.concerns(other)).isFalse();
        assertThat(enrolled.apply(other, "x")).isSameAs(enrolled);
    }
}
