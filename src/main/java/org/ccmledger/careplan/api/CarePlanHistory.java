package org.ccmledger.careplan.api;

import java.util.List;

/** Every version of a patient's care plan, oldest first (R10); none is ever overwritten (P4). */
public record CarePlanHistory(String practiceId, String patientId, List<CarePlanVersion> versions) {

    public CarePlanHistory {
        versions = List.copyOf(versions);
    }
}
