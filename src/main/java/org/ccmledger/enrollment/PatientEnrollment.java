package org.ccmledger.enrollment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.axonframework.serialization.Revision;
import org.ccmledger.caretime.api.CareMinutesCorrected;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.CareMinutesVoided;
import org.ccmledger.caretime.api.CorrectCareMinutes;
import org.ccmledger.caretime.api.LogCareMinutes;
import org.ccmledger.caretime.api.VoidCareMinutes;
import org.ccmledger.consent.api.ConsentDecision;
import org.ccmledger.consent.api.ConsentDeclined;
import org.ccmledger.consent.api.ConsentRecorded;
import org.ccmledger.consent.api.ConsentRevoked;
import org.ccmledger.consent.api.RecordConsent;
import org.ccmledger.consent.api.RevokeConsent;
import org.ccmledger.enrollment.api.AttestComplexity;
import org.ccmledger.enrollment.api.BillingPractitionerChanged;
import org.ccmledger.enrollment.api.ComplexityAttested;
import org.ccmledger.enrollment.api.InitiatingVisitRecorded;
import org.ccmledger.enrollment.api.RecordConcurrentService;
import org.ccmledger.enrollment.api.RecordInitiatingVisit;
import org.ccmledger.enrollment.api.RecordInpatientStay;
import org.ccmledger.enrollment.api.ChangeBillingPractitioner;
import org.ccmledger.enrollment.api.DisenrollPatient;
import org.ccmledger.enrollment.api.EnrollPatient;
import org.ccmledger.enrollment.api.PatientDied;
import org.ccmledger.enrollment.api.PatientDisenrolled;
import org.ccmledger.enrollment.api.PatientEnrolled;
import org.ccmledger.enrollment.api.RecordDeath;
import org.ccmledger.platform.problem.Refusal;

/**
 * One patient's CCM enrollment in one practice: the consistency boundary for everything that decides whether care
 * time may be recorded for that patient (enrollment, billing practitioner, consent, death, disenrollment) and for
 * the time entries themselves. Guards are named after the rule they check.
 */
// the snapshot's shape: Axon loads only snapshots of this revision and rebuilds the others from their events. Bump it
// whenever a field of this class or of what it holds changes (2: time entries keep their performer)
@Revision("2")
@Aggregate(snapshotTriggerDefinition = "snapshotTrigger")
class PatientEnrollment {

    @AggregateIdentifier
    private String id;
    private ZoneId timeZone;
    private final CareAuthority authority = new CareAuthority();
    private final TimeEntries entries = new TimeEntries();
    private Instant endOfCare;
    private java.time.LocalDate dateOfDeath;
    private boolean disenrolled;
    private final BillingFacts billingFacts = new BillingFacts();

    PatientEnrollment() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(EnrollPatient command) {
        if (id != null) {
            throw Refusal.conflict("ALREADY_ENROLLED", "this patient is already enrolled in this practice");
        }
        assertTwoQualifyingConditions(command);
        apply(new PatientEnrolled(command.enrollmentId(), command.billingPractitioner(), command.timeZone(),
                                  command.chronicConditions(), command.qualifiedMedicareBeneficiary(),
                                  command.initiatingVisitRequired()));
    }

    private static void assertTwoQualifyingConditions(EnrollPatient command) {
        long qualifying = command.chronicConditions().stream().filter(c -> c.qualifies()).count();
        if (qualifying < 2) {
            throw Refusal.rule("TOO_FEW_QUALIFYING_CONDITIONS", "R7",
                               "CCM needs two or more chronic conditions expected to last at least 12 months "
                                       + "and placing the patient at significant risk (R7)");
        }
    }

    @CommandHandler
    void handle(RecordConsent command) {
        assertEnrolled();
        assertDisclosuresComplete(command);
        Guards.assertNotInFuture(command.obtainedAt(), 0);
        if (!command.billingPractitioner().equals(authority.currentPractitioner())) {
            throw Refusal.rule("CONSENT_FOR_OTHER_PRACTITIONER", "R8",
                               "consent must be for the patient's current billing practitioner (R8)");
        }
        if (authority.activeConsent(command.billingPractitioner()).isPresent()) {
            throw Refusal.conflict("CONSENT_ALREADY_RECORDED", "consent for this practitioner is already in force; "
                    + "a patient who stops revokes it (effective at month end)");
        }
        if (command.decision() == ConsentDecision.DECLINED) {
            apply(new ConsentDeclined(command.enrollmentId(), command.method(), command.obtainedAt(),
                                      command.obtainedBy(), command.billingPractitioner(), command.documentRef(),
                                      command.disclosures()));
            return;
        }
        apply(new ConsentRecorded(command.enrollmentId(), command.method(), command.obtainedAt(),
                                  command.obtainedBy(), command.billingPractitioner(), command.documentRef(),
                                  command.disclosures()));
    }

    private static void assertDisclosuresComplete(RecordConsent command) {
        if (command.disclosures() == null || !command.disclosures().complete()) {
            throw Refusal.rule("DISCLOSURE_MISSING", "R8", "the patient must be told that CCM is available, that "
                    + "cost sharing applies, that one practitioner per month is paid, and that they may stop at "
                    + "the end of any month (R8)");
        }
    }

    /** Returns when the revocation takes effect. */
    @CommandHandler
    Instant handle(RevokeConsent command) {
        assertEnrolled();
        Guards.assertNotInFuture(command.revokedAt(), 0);
        var active = authority.activeConsent(authority.currentPractitioner()).orElseThrow(
                () -> Refusal.rule("NO_CONSENT_IN_FORCE", "R8", "there is no consent in force to revoke"));
        if (command.revokedAt().isBefore(active.from())) {
            throw Refusal.rule("REVOCATION_BEFORE_CONSENT", "R8", "a revocation cannot precede the consent");
        }
        Instant effectiveAt = YearMonth.from(command.revokedAt().atZone(timeZone)).plusMonths(1).atDay(1)
                                       .atStartOfDay(timeZone).toInstant();
        assertNoLiveTimeAfter(effectiveAt, "R8");
        apply(new ConsentRevoked(command.enrollmentId(), active.npi(), command.revokedAt(), effectiveAt,
                                 command.reason()));
        return effectiveAt;
    }

    @CommandHandler
    void handle(ChangeBillingPractitioner command) {
        assertEnrolled();
        if (command.billingPractitioner().equals(authority.currentPractitioner())) {
            throw Refusal.conflict("SAME_PRACTITIONER", "this is already the patient's billing practitioner");
        }
        Guards.assertNotInFuture(command.effectiveAt(), 0);
        if (command.effectiveAt().isBefore(authority.currentPractitionerFrom())) {
            throw Refusal.rule("CHANGE_BEFORE_LAST_CHANGE", "R6", "a practitioner change cannot take effect before "
                    + "the change that made the current practitioner responsible");
        }
        assertNoLiveTimeAfter(command.effectiveAt(), "R8");
        apply(new BillingPractitionerChanged(command.enrollmentId(), authority.currentPractitioner(),
                                             command.billingPractitioner(), command.effectiveAt()));
    }

    @CommandHandler
    void handle(LogCareMinutes command) {
        assertEnrolled();
        apply(entries.log(command, this::assertCareAuthorized));
    }

    @CommandHandler
    void handle(CorrectCareMinutes command) {
        assertEnrolled();
        apply(entries.correct(command, this::assertCareAuthorized));
    }

    @CommandHandler
    void handle(VoidCareMinutes command) {
        assertEnrolled();
        apply(entries.voidEntry(command));
    }

    @CommandHandler
    void handle(RecordInitiatingVisit command) {
        assertEnrolled();
        Instant dayStart = command.visitDate().atStartOfDay(timeZone).toInstant();
        Guards.assertNotInFuture(dayStart, 0);
        apply(billingFacts.initiatingVisit(command, authority.practitionerAt(dayStart)));
    }

    @CommandHandler
    void handle(AttestComplexity command) {
        assertEnrolled();
        assertMonthNotInFuture(command.month());
        apply(billingFacts.complexity(command));
    }

    @CommandHandler
    void handle(RecordConcurrentService command) {
        assertEnrolled();
        assertMonthNotInFuture(command.month());
        apply(billingFacts.concurrentService(command));
    }

    @CommandHandler
    void handle(RecordInpatientStay command) {
        assertEnrolled();
        Guards.assertNotInFuture(command.admittedOn().atStartOfDay(timeZone).toInstant(), 0);
        apply(billingFacts.inpatientStay(command));
    }

    private void assertMonthNotInFuture(YearMonth month) {
        if (month.isAfter(YearMonth.from(GenericEventMessage.clock.instant().atZone(timeZone)))) {
            throw Refusal.rule("MONTH_IN_FUTURE", "R1", "the month has not begun yet");
        }
    }

    @CommandHandler
    void handle(RecordDeath command) {
        assertEnrolled();
        if (dateOfDeath != null) {
            throw Refusal.conflict("DEATH_ALREADY_RECORDED", "a date of death is already recorded");
        }
        // the day of death has begun; computed from that day itself, so the last representable date is refused as
        // in the future instead of overflowing
        Guards.assertNotInFuture(command.dateOfDeath().atStartOfDay(timeZone).toInstant(), 0);
        apply(new PatientDied(command.enrollmentId(), command.dateOfDeath()));
    }

    @CommandHandler
    void handle(DisenrollPatient command) {
        assertEnrolled();
        if (disenrolled) {
            throw Refusal.conflict("ALREADY_DISENROLLED", "the patient is already disenrolled");
        }
        Guards.assertNotInFuture(command.effectiveAt(), 0);
        assertNoLiveTimeAfter(command.effectiveAt(), "R1");
        apply(new PatientDisenrolled(command.enrollmentId(), command.effectiveAt(), command.reason()));
    }

    /**
     * A fact that ends care at {@code instant}, recorded after time that runs past it, would leave that time counted
     * without consent or enrollment: the entries are voided or corrected first, explicitly (P4).
     */
    private void assertNoLiveTimeAfter(Instant instant, String rule) {
        if (entries.anyLiveEndingAfter(instant)) {
            throw Refusal.rule("LOGGED_TIME_AFTER_EFFECTIVE_DATE", rule, "care time is logged after this takes "
                    + "effect; void or correct those entries first (P4)");
        }
    }

    private void assertEnrolled() {
        if (id == null) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
    }

    /** R8: consent for the practitioner responsible, before the time started, until revocation takes effect. */
    private void assertCareAuthorized(Instant startedAt, int minutes) {
        Instant end = startedAt.plus(Duration.ofMinutes(minutes));
        if (endOfCare != null && end.isAfter(endOfCare)) {
            throw Refusal.rule("AFTER_END_OF_CARE", "R1", "no care time counts after death or disenrollment");
        }
        if (!authority.consentCovers(startedAt, end)) {
            throw Refusal.rule("CONSENT_NOT_IN_FORCE", "R8", "care time needs the patient's consent for the "
                    + "billing practitioner, obtained before the time and not yet revoked (R8)");
        }
    }

    @EventSourcingHandler
    void on(PatientEnrolled event) {
        this.id = event.enrollmentId().toString();
        this.timeZone = event.timeZone();
        authority.practitionerFrom(event.billingPractitioner(), Instant.EPOCH);
    }

    @EventSourcingHandler
    void on(ConsentRecorded event) {
        authority.consented(event.billingPractitioner(), event.obtainedAt());
    }

    @EventSourcingHandler
    void on(ConsentRevoked event) {
        authority.revoked(event.billingPractitioner(), event.effectiveAt());
    }

    @EventSourcingHandler
    void on(BillingPractitionerChanged event) {
        authority.revoked(event.previous(), event.effectiveAt());
        authority.practitionerFrom(event.billingPractitioner(), event.effectiveAt());
    }

    @EventSourcingHandler
    void on(CareMinutesLogged event) {
        entries.logged(event.entryId().value(), event.startedAt(), event.minutes(), event.performer());
    }

    @EventSourcingHandler
    void on(CareMinutesCorrected event) {
        entries.corrected(event.entryId().value(), event.startedAt(), event.minutes());
    }

    @EventSourcingHandler
    void on(CareMinutesVoided event) {
        entries.voided(event.entryId().value());
    }

    @EventSourcingHandler
    void on(InitiatingVisitRecorded event) {
        billingFacts.recorded(event);
    }

    @EventSourcingHandler
    void on(ComplexityAttested event) {
        billingFacts.recorded(event);
    }

    @EventSourcingHandler
    void on(PatientDied event) {
        dateOfDeath = event.dateOfDeath();
        endCareAt(event.dateOfDeath().plusDays(1).atStartOfDay(timeZone).toInstant());
    }

    @EventSourcingHandler
    void on(PatientDisenrolled event) {
        disenrolled = true;
        endCareAt(event.effectiveAt());
    }

    private void endCareAt(Instant instant) {
        endOfCare = endOfCare == null || instant.isBefore(endOfCare) ? instant : endOfCare;
    }
}
