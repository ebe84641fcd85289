package org.ccmledger.enrollment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Duration;
import java.time.Instant;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.caretime.api.CorrectCareMinutes;
import org.ccmledger.caretime.api.LogCareMinutes;
import org.ccmledger.caretime.api.VoidCareMinutes;
import org.ccmledger.codeset.api.DiagnosisCodes;
import org.ccmledger.consent.api.RecordConsent;
import org.ccmledger.consent.api.RevokeConsent;
import org.ccmledger.patient.AttestComplexity;
import org.ccmledger.patient.ChangeBillingPractitioner;
import org.ccmledger.patient.DisenrollPatient;
import org.ccmledger.patient.EnrollPatient;
import org.ccmledger.patient.PatientEnrolled;
import org.ccmledger.patient.RecordConcurrentService;
import org.ccmledger.patient.RecordDeath;
import org.ccmledger.patient.RecordInitiatingVisit;
import org.ccmledger.patient.RecordInpatientStay;
import org.ccmledger.platform.problem.Refusal;

/**
 * One patient's CCM enrollment in one practice: the consistency boundary for everything that decides whether care
 * time may be recorded for that patient (enrollment, billing practitioner, consent, death, disenrollment) and for
 * the time entries themselves. The class routes commands and events; the decisions live in its parts:
 * {@link CareAuthority} (R6, R8), {@link TimeEntries} (P2, P4, R3 and whose time it is), {@link EndOfCare} (R1, death,
 * disenrollment), {@link BillingFacts} (R9, P1, R4, the exclusion matrix) and {@link Guards} (R7, R1, P2).
 */
// the snapshot's shape: Axon loads only snapshots of this revision and rebuilds the others from their events. Bump it
// whenever a field of this class or of what it holds changes (2: time entries keep their performer; 3: the parts hold
// the consent, time-entry and calendar folds of the features' api packages)
@Revision("3")
@Aggregate(snapshotTriggerDefinition = "snapshotTrigger", cache = "enrollmentCache")
class PatientEnrollment {

    @AggregateIdentifier
    private String id;
    private final CareAuthority authority = new CareAuthority();
    private final TimeEntries entries = new TimeEntries();
    private final EndOfCare endOfCare = new EndOfCare();
    private final BillingFacts billingFacts = new BillingFacts();

    PatientEnrollment() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(EnrollPatient command, DiagnosisCodes codes) {
        if (id != null) {
            throw Refusal.conflict("ALREADY_ENROLLED", "this patient is already enrolled in this practice");
        }
        Guards.assertTwoQualifyingConditions(command);
        Guards.assertBillableDiagnoses(command, codes, java.time.LocalDate.now(command.timeZone()));
        apply(new PatientEnrolled(command.enrollmentId(), command.billingPractitioner(), command.timeZone(),
                                  command.chronicConditions(), command.qualifiedMedicareBeneficiary(),
                                  command.initiatingVisitRequired(), command.billingLocation()));
    }

    @CommandHandler
    void handle(RecordConsent command) {
        assertEnrolled();
        apply(authority.consent(command));
    }

    /** Returns when the revocation takes effect. */
    @CommandHandler
    Instant handle(RevokeConsent command) {
        assertEnrolled();
        var revoked = authority.revoke(command, endOfCare.zone(), entries);
        apply(revoked);
        return revoked.effectiveAt();
    }

    @CommandHandler
    void handle(ChangeBillingPractitioner command) {
        assertEnrolled();
        apply(authority.changePractitioner(command, entries));
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
        Instant dayStart = command.visitDate().atStartOfDay(endOfCare.zone()).toInstant();
        Guards.assertNotInFuture(dayStart, 0);
        apply(billingFacts.initiatingVisit(command, authority.practitionerAt(dayStart)));
    }

    @CommandHandler
    void handle(AttestComplexity command) {
        assertEnrolled();
        Guards.assertMonthNotInFuture(command.month(), endOfCare.zone());
        apply(billingFacts.complexity(command));
    }

    @CommandHandler
    void handle(RecordConcurrentService command) {
        assertEnrolled();
        Guards.assertMonthNotInFuture(command.month(), endOfCare.zone());
        apply(billingFacts.concurrentService(command));
    }

    @CommandHandler
    void handle(RecordInpatientStay command) {
        assertEnrolled();
        Guards.assertNotInFuture(command.admittedOn().atStartOfDay(endOfCare.zone()).toInstant(), 0);
        apply(billingFacts.inpatientStay(command));
    }

    @CommandHandler
    void handle(RecordDeath command) {
        assertEnrolled();
        apply(endOfCare.death(command));
    }

    @CommandHandler
    void handle(DisenrollPatient command) {
        assertEnrolled();
        apply(endOfCare.disenroll(command, entries));
    }

    private void assertEnrolled() {
        if (id == null) {
            throw Refusal.notFound("UNKNOWN_PATIENT", "no such patient in this practice");
        }
    }

    /** R1 and R8: care time before the end of care, covered by consent for the practitioner responsible. */
    private void assertCareAuthorized(Instant startedAt, int minutes) {
        Instant end = startedAt.plus(Duration.ofMinutes(minutes));
        endOfCare.assertCareNotEnded(end);
        authority.assertConsentCovers(startedAt, end);
    }

    @EventSourcingHandler
    void on(PatientEnrolled event) {
        this.id = event.enrollmentId().toString();
        fold(event);
    }

    /** Every other event of the patient's stream: each part takes what concerns it. */
    @EventSourcingHandler
    void on(Object event) {
        fold(event);
    }

    private void fold(Object event) {
        authority.apply(event);
        entries.apply(event);
        endOfCare.apply(event);
        billingFacts.apply(event);
    }
}
