package org.ccmledger.careplan.api;

import java.time.Instant;
import java.util.List;

import org.axonframework.serialization.Revision;
import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.patient.PatientEvent;

/**
 * A new version of the patient's care plan (R10), numbered from 1 (which establishes the plan); earlier versions
 * stay as they were (P4). {@code revisedAt} is when the plan was revised; when the ledger learned of it is the
 * message's recorded time.
 */
@Revision("1")
public record CarePlanRevised(CarePlanId carePlanId, int version, Instant revisedAt, String revisedBy,
                              boolean substantialRevision, Instant sharedWithPatientAt, List<String> problems,
                              String expectedOutcome, List<String> measurableGoals, String symptomManagement,
                              List<String> plannedInterventions, String medicationManagement,
                              List<String> communityResources, List<String> coordination, String reviewSchedule)
        implements PatientEvent {

    @Override
    public EnrollmentId enrollmentId() {
        return carePlanId.enrollmentId();
    }

    public CarePlanRevised {
        problems = List.copyOf(problems);
        measurableGoals = List.copyOf(measurableGoals);
        plannedInterventions = List.copyOf(plannedInterventions);
        communityResources = List.copyOf(communityResources);
        coordination = List.copyOf(coordination);
    }
}
