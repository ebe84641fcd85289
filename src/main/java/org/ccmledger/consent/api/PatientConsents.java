package org.ccmledger.consent.api;

import java.util.List;

/** Every consent decision of a patient, in the order the ledger recorded them (R8). */
public record PatientConsents(String practiceId, String patientId, List<ConsentView> consents) {

    public PatientConsents {
        consents = List.copyOf(consents);
    }
}
