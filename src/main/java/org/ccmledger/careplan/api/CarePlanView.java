package org.ccmledger.careplan.api;

import java.time.Instant;
import java.util.List;

/**
 * The version of a patient's care plan in force, with when the plan was first established and how many versions
 * it has had (R10).
 */
public record CarePlanView(String practiceId, String patientId, int version, int versions, Instant establishedAt,
                           Instant revisedAt, String revisedBy, boolean substantialRevision,
                           Instant sharedWithPatientAt, List<String> problems, String expectedOutcome,
                           List<String> measurableGoals, String symptomManagement, List<String> plannedInterventions,
                           String medicationManagement, List<String> communityResources, List<String> coordination,
                           String reviewSchedule) {
}
