package org.ccmledger.enrollment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.caretime.api.CareMinutesLogged;
import org.ccmledger.caretime.api.LogCareMinutes;
import org.ccmledger.enrollment.api.EnrollPatient;
import org.ccmledger.enrollment.api.EnrollmentId;
import org.ccmledger.enrollment.api.PatientEnrolled;
import org.ccmledger.platform.problem.Refusal;

/**
 * One patient's CCM enrollment in one practice: the consistency boundary for everything that decides whether care
 * time may be logged for that patient.
 */
@Aggregate(snapshotTriggerDefinition = "snapshotTrigger")
class PatientEnrollment {

    static final int MAX_MINUTES_PER_ENTRY = 24 * 60;

    @AggregateIdentifier
    private String id;
    private ZoneId timeZone;
    private final Set<String> entryIds = new HashSet<>();

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
                                  command.chronicConditions(), command.qualifiedMedicareBeneficiary()));
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
    void handle(LogCareMinutes command) {
        assertRoleCounts(command);
        assertMinutesPlausible(command.minutes());
        assertNotInFuture(command.startedAt(), command.minutes());
        if (entryIds.contains(command.entryId().value())) {
            throw Refusal.conflict("DUPLICATE_ENTRY_ID", "a time entry with this entryId is already logged");
        }
        apply(new CareMinutesLogged(command.enrollmentId(), command.entryId(), command.performer(),
                                    command.startedAt(), command.minutes(), command.activity(), command.note()));
    }

    private static void assertRoleCounts(LogCareMinutes command) {
        if (!command.performer().role().countsTowardCcm()) {
            throw Refusal.rule("NON_CLINICAL_TIME", "R3", "time of non-clinical staff never counts toward CCM (R3)");
        }
    }

    private static void assertMinutesPlausible(int minutes) {
        if (minutes <= 0 || minutes > MAX_MINUTES_PER_ENTRY) {
            throw Refusal.rule("MINUTES_OUT_OF_RANGE", "P2", "minutes must be between 1 and 1440 per entry");
        }
    }

    private static void assertNotInFuture(Instant startedAt, int minutes) {
        Instant now = GenericEventMessage.clock.instant();
        if (startedAt.plus(Duration.ofMinutes(minutes)).isAfter(now.plus(Duration.ofMinutes(1)))) {
            throw Refusal.rule("TIME_IN_FUTURE", "P2", "care time cannot start or end in the future");
        }
    }

    @EventSourcingHandler
    void on(PatientEnrolled event) {
        this.id = event.enrollmentId().toString();
        this.timeZone = event.timeZone();
    }

    @EventSourcingHandler
    void on(CareMinutesLogged event) {
        entryIds.add(event.entryId().value());
    }

    ZoneId timeZone() {
        return timeZone;
    }
}
