package org.ccmledger.careplan.api;

import java.time.Instant;
import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records a new version of the patient's care plan (R10); the first revision establishes it. {@code revisedAt} is
 * when the plan was revised, {@code sharedWithPatientAt} (optional) when a copy went to the patient or caregiver.
 */
public record ReviseCarePlan(@TargetAggregateIdentifier CarePlanId carePlanId, Instant revisedAt, String revisedBy,
                             boolean substantialRevision, Instant sharedWithPatientAt, List<String> problems,
                             String expectedOutcome, List<String> measurableGoals, String symptomManagement,
                             List<String> plannedInterventions, String medicationManagement,
                             List<String> communityResources, List<String> coordination, String reviewSchedule) {
}
