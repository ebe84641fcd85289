package org.ccmledger.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ccmledger.consent.ConsentMother.NEXT;
import static org.ccmledger.consent.ConsentMother.NPI;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.ccmledger.consent.api.ConsentDecision;
import org.ccmledger.consent.api.ConsentMethod;
import org.ccmledger.consent.api.ConsentStatus;
import org.ccmledger.consent.api.ConsentView;
import org.ccmledger.consent.api.FindConsents;
import org.ccmledger.consent.api.PatientConsents;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.ledger.LedgerFixture;
import org.ccmledger.platform.problem.Refusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConsentProjectionTest {

    private static final EnrollmentId ENROLLMENT = EnrollmentId.of("p1", "pt-1");
    private static final Instant JANUARY = Instant.parse("2026-01-01T15:00:00Z");
    private static final Instant MAY_10 = Instant.parse("2026-05-10T18:00:00Z");
    private static final Instant JUNE = Instant.parse("2026-06-01T04:00:00Z");
    private static final Instant JULY = Instant.parse("2026-07-01T15:00:00Z");
    private static final Instant AUGUST = Instant.parse("2026-08-01T15:00:00Z");
    private static final Instant SEPTEMBER = Instant.parse("2026-09-01T04:00:00Z");

    private final ConsentMother events = new ConsentMother(ENROLLMENT);
    private LedgerFixture store;
    private ConsentProjection testSubject;

    @BeforeEach
    void setUp() {
        store = LedgerFixture.inMemory();
        testSubject = new ConsentProjection(store.database());
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private PatientConsents find() {
        return testSubject.handle(new FindConsents(ENROLLMENT));
    }

    /** Accepted then revoked, declined, accepted then ended by a practitioner change, accepted for the next one. */
    private void wholeHistory() {
        testSubject.on(events.enrolled());
        testSubject.on(events.accepted(NPI, JANUARY), 1L);
        testSubject.on(events.revoked(NPI, MAY_10, JUNE), 2L);
        testSubject.on(events.declined(NPI, JULY), 3L);
        testSubject.on(events.accepted(NPI, AUGUST), 4L);
        testSubject.on(events.practitionerChanged(NPI, NEXT, SEPTEMBER), 5L);
        testSubject.on(events.accepted(NEXT, SEPTEMBER.plusSeconds(3600)), 6L);
    }

    @Test
    void anEnrolledPatientWithoutConsentHasNone() {
        testSubject.on(events.enrolled());

        assertThat(find().consents()).isEmpty();
        assertThat(find().practiceId()).isEqualTo("p1");
        assertThat(find().patientId()).isEqualTo("pt-1");
    }

    @Test
    @DisplayName("R8: an accepted consent is in force with how, when and by whom it was obtained and its disclosures")
    void anAcceptedConsentIsInForce() {
        testSubject.on(events.enrolled());
        testSubject.on(events.accepted(NPI, JANUARY), 1L);

        ConsentView consent = find().consents().get(0);
        assertThat(consent.decision()).isEqualTo(ConsentDecision.ACCEPTED);
        assertThat(consent.status()).isEqualTo(ConsentStatus.IN_FORCE);
        assertThat(consent.method()).isEqualTo(ConsentMethod.VERBAL);
        assertThat(consent.obtainedAt()).isEqualTo(JANUARY);
        assertThat(consent.obtainedBy()).isEqualTo("rn-7");
        assertThat(consent.billingPractitionerNpi()).isEqualTo(NPI);
        assertThat(consent.documentRef()).isEqualTo("note-123");
        assertThat(consent.disclosures()).isEqualTo(ConsentMother.ALL_FOUR);
        assertThat(consent.effectiveUntil()).isNull();
        assertThat(consent.revocation()).isNull();
        assertThat(consent.practitionerChange()).isNull();
    }

    @Test
    @DisplayName("R8: revocations, declines and practitioner changes each end or mark the right decision")
    void everyDecisionWithHowItEnded() {
        wholeHistory();

        PatientConsents consents = find();
        assertThat(consents.consents()).extracting(ConsentView::status).containsExactly(
                ConsentStatus.REVOKED, ConsentStatus.DECLINED, ConsentStatus.ENDED_BY_PRACTITIONER_CHANGE,
                ConsentStatus.IN_FORCE);
        assertThat(consents.consents()).extracting(ConsentView::effectiveUntil)
                                       .containsExactly(JUNE, null, SEPTEMBER, null);
        ConsentView revoked = consents.consents().get(0);
        assertThat(revoked.revocation()).isEqualTo(new ConsentView.Revocation(MAY_10, JUNE, "asked to stop"));
        ConsentView declined = consents.consents().get(1);
        assertThat(declined.decision()).isEqualTo(ConsentDecision.DECLINED);
        assertThat(declined.documentRef()).isNull();
        ConsentView ended = consents.consents().get(2);
        assertThat(ended.practitionerChange()).isEqualTo(new ConsentView.PractitionerChange(SEPTEMBER, NEXT));
        assertThat(ended.revocation()).isNull();
        assertThat(consents.consents().get(3).billingPractitionerNpi()).isEqualTo(NEXT);
    }

    @Test
    @DisplayName("R8: a practitioner change ends only a consent in force for the former practitioner")
    void aPractitionerChangeAfterARevocationLeavesItRevoked() {
        testSubject.on(events.enrolled());
        testSubject.on(events.accepted(NPI, JANUARY), 1L);
        testSubject.on(events.revoked(NPI, MAY_10, JUNE), 2L);
        testSubject.on(events.practitionerChanged(NPI, NEXT, MAY_10.plusSeconds(86_400)), 3L);

        assertThat(find().consents()).singleElement().satisfies(consent -> {
            assertThat(consent.status()).isEqualTo(ConsentStatus.REVOKED);
            assertThat(consent.effectiveUntil()).isEqualTo(JUNE);
        });
    }

    @Test
    void redeliveredAndReorderedEventsGiveTheSameConsents() {
        wholeHistory();
        PatientConsents once = find();

        testSubject.on(events.practitionerChanged(NPI, NEXT, SEPTEMBER), 5L);
        testSubject.on(events.revoked(NPI, MAY_10, JUNE), 2L);
        testSubject.on(events.accepted(NPI, JANUARY), 1L);
        testSubject.on(events.enrolled());

        assertThat(find()).isEqualTo(once);

        ConsentProjection reordered = new ConsentProjection(store.database());
        reordered.reset();
        reordered.on(events.accepted(NEXT, SEPTEMBER.plusSeconds(3600)), 6L);
        reordered.on(events.revoked(NPI, MAY_10, JUNE), 2L);
        reordered.on(events.practitionerChanged(NPI, NEXT, SEPTEMBER), 5L);
        reordered.on(events.accepted(NPI, AUGUST), 4L);
        reordered.on(events.enrolled());
        reordered.on(events.declined(NPI, JULY), 3L);
        reordered.on(events.accepted(NPI, JANUARY), 1L);

        assertThat(reordered.handle(new FindConsents(ENROLLMENT))).isEqualTo(once);
    }

    @Test
    @DisplayName("consent ids are stable, distinct and name no patient")
    void consentIdsAreStableAndNameNoPatient() {
        wholeHistory();

        assertThat(find().consents()).extracting(ConsentView::consentId).doesNotHaveDuplicates()
                                     .allSatisfy(id -> assertThat(id).doesNotContain("pt-1")
                                                                     .matches("[0-9a-f-]{36}"));
        assertThat(find().consents().get(0).consentId()).isEqualTo(ConsentProjection.consentId(ENROLLMENT, 1));
    }

    @Test
    void anUnknownPatientIsNotFound() {
        testSubject.on(events.enrolled());

        Refusal refusal = assertThrows(Refusal.class,
                                       () -> testSubject.handle(new FindConsents(EnrollmentId.of("p2", "pt-1"))));

        assertThat(refusal.kind()).isEqualTo(Refusal.Kind.NOT_FOUND);
        assertThat(refusal.code()).isEqualTo("UNKNOWN_PATIENT");
        assertThat(refusal.getMessage()).doesNotContain("pt-1");
    }

    @Test
    void aResetEmptiesTheReadModel() {
        wholeHistory();

        testSubject.reset();

        assertThrows(Refusal.class, this::find);
        assertThat(store.database().getCollection("rm_consent_events").countDocuments()).isZero();
    }
}
