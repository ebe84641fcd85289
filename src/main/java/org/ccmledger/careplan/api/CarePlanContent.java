package org.ccmledger.careplan.api;

import java.util.List;

/** What one version of a care plan says: the elements R10 requires. */
public record CarePlanContent(List<String> problems, String expectedOutcome, List<String> measurableGoals,
                              String symptomManagement, List<String> plannedInterventions,
                              String medicationManagement, List<String> communityResources,
                              List<String> coordination, String reviewSchedule) {

    public CarePlanContent {
        problems = List.copyOf(problems);
        measurableGoals = List.copyOf(measurableGoals);
        plannedInterventions = List.copyOf(plannedInterventions);
        communityResources = List.copyOf(communityResources);
        coordination = List.copyOf(coordination);
    }
}
