package org.ccmledger.careplan;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.careplan.api.CarePlanRevised;
import org.ccmledger.careplan.api.ReviseCarePlan;
import org.ccmledger.platform.problem.Refusal;

/**
 * One patient's care plan (R10): a sequence of versions, the first of which establishes the plan. Every revision
 * must carry the plan's elements and becomes a new version; none is overwritten (P4).
 */
@Aggregate(snapshotTriggerDefinition = "snapshotTrigger")
class CarePlan {

    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    @AggregateIdentifier
    private String id;
    private int version;
    private Instant revisedAt;

    CarePlan() {
        // for Axon
    }

    /** Returns the number of the new version. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    int handle(ReviseCarePlan command) {
        assertCarePlanComplete(command);
        assertNotInFuture(command.revisedAt());
        assertNotInFuture(command.sharedWithPatientAt());
        assertSharedNotBeforeRevision(command);
        assertNotBeforeVersionInForce(command.revisedAt());
        int next = version + 1;
        apply(new CarePlanRevised(command.carePlanId(), next, command.revisedAt(), command.revisedBy(),
                                  command.substantialRevision(), command.sharedWithPatientAt(), command.problems(),
                                  command.expectedOutcome(), command.measurableGoals(), command.symptomManagement(),
                                  command.plannedInterventions(), command.medicationManagement(),
                                  command.communityResources(), command.coordination(), command.reviewSchedule()));
        return next;
    }

    /** R10: the elements a care plan must contain; community resources and coordination may be empty lists. */
    private static void assertCarePlanComplete(ReviseCarePlan command) {
        List<String> missing = new ArrayList<>();
        requireValue(command.revisedAt(), "revisedAt", missing);
        requireText(command.revisedBy(), "revisedBy", missing);
        requireItems(command.problems(), "problems", true, missing);
        requireText(command.expectedOutcome(), "expectedOutcome", missing);
        requireItems(command.measurableGoals(), "measurableGoals", true, missing);
        requireText(command.symptomManagement(), "symptomManagement", missing);
        requireItems(command.plannedInterventions(), "plannedInterventions", true, missing);
        requireText(command.medicationManagement(), "medicationManagement", missing);
        requireItems(command.communityResources(), "communityResources", false, missing);
        requireItems(command.coordination(), "coordination", false, missing);
        requireText(command.reviewSchedule(), "reviewSchedule", missing);
        if (!missing.isEmpty()) {
            throw Refusal.rule("CARE_PLAN_INCOMPLETE", "R10",
                               "the care plan lacks " + String.join(", ", missing) + " (R10)");
        }
    }

    private static void requireValue(Object value, String element, List<String> missing) {
        if (value == null) {
            missing.add(element);
        }
    }

    private static void requireText(String value, String element, List<String> missing) {
        if (value == null || value.isBlank()) {
            missing.add(element);
        }
    }

    private static void requireItems(List<String> items, String element, boolean atLeastOne, List<String> missing) {
        if (items == null || (atLeastOne && items.isEmpty())
                || items.stream().anyMatch(item -> item == null || item.isBlank())) {
            missing.add(element);
        }
    }

    private static void assertNotInFuture(Instant instant) {
        if (instant != null && instant.isAfter(GenericEventMessage.clock.instant().plus(CLOCK_SKEW))) {
            throw Refusal.rule("CARE_PLAN_IN_FUTURE", "R10", "a care plan cannot be revised or shared in the future");
        }
    }

    /** R10: the copy given to the patient is of this version, so it cannot precede the revision. */
    private static void assertSharedNotBeforeRevision(ReviseCarePlan command) {
        if (command.sharedWithPatientAt() != null && command.sharedWithPatientAt().isBefore(command.revisedAt())) {
            throw Refusal.rule("SHARED_BEFORE_REVISION", "R10",
                               "sharedWithPatientAt cannot precede revisedAt of the same version (R10)");
        }
    }

    /** P4: history is appended, never rewritten: a revision cannot be dated before the version in force. */
    private void assertNotBeforeVersionInForce(Instant candidate) {
        if (revisedAt != null && candidate.isBefore(revisedAt)) {
            throw Refusal.rule("REVISION_BEFORE_VERSION_IN_FORCE", "P4",
                               "a revision cannot be dated before the version in force; record a new revision (P4)");
        }
    }

    @EventSourcingHandler
    void on(CarePlanRevised event) {
        this.id = event.carePlanId().toString();
        this.version = event.version();
        this.revisedAt = event.revisedAt();
    }
}
