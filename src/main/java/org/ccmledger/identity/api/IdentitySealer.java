package org.ccmledger.identity.api;

import org.ccmledger.patient.EnrollmentId;
import org.ccmledger.platform.crypto.Sealed;

/** Seals a patient's identity with the patient's own key, for a {@link RecordPatientIdentity}. Blocking. */
public interface IdentitySealer {

    Sealed seal(EnrollmentId patient, PatientIdentity identity);
}
