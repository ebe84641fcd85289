package org.ccmledger.practice.api;

import java.time.Instant;
import java.util.Optional;

import org.ccmledger.patient.PracticeId;

/** The profiles practices have recorded, read from the ledger. */
public interface PracticeProfiles {

    /** The profile in force now; empty when the practice has recorded none. */
    Optional<PracticeProfileView> current(PracticeId practice);

    /** The profile in force at {@code instant} (as recorded by then); empty when there was none yet. */
    Optional<PracticeProfileView> asOf(PracticeId practice, Instant instant);

    /** A sole practitioner's SSN from the profile, opened with the practice's key; empty when the key was erased. */
    java.util.Optional<String> openSsn(PracticeId practice, org.ccmledger.platform.crypto.Sealed ssn);

    /** One version of a profile with when it was recorded. */
    record PracticeProfileView(String practiceId, int version, Instant recordedAt, PracticeProfile profile) {
    }
}
