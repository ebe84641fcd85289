package org.ccmledger.practice;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.axon.ReferenceStreams;
import org.ccmledger.platform.crypto.FieldVault;
import org.ccmledger.platform.crypto.Sealed;
import org.ccmledger.platform.security.BreakGlass;
import org.ccmledger.platform.security.Role;
import org.ccmledger.practice.api.PracticeProfileId;
import org.ccmledger.practice.api.PracticeProfileRecorded;
import org.ccmledger.practice.api.PracticeProfiles;
import org.springframework.stereotype.Component;

/** Practice profiles read from their streams in the ledger (verified on read, at most a second old). */
@Component
class PracticeProfileStore implements PracticeProfiles, BreakGlass.PracticeRoles {

    private final ReferenceStreams streams;
    private final FieldVault vault;

    PracticeProfileStore(ReferenceStreams streams, FieldVault vault) {
        this.streams = streams;
        this.vault = vault;
    }

    /** A sole practitioner's SSN sealed with the practice's own key (subject {@code practice:<id>}). */
    Sealed sealSsn(PracticeId practice, String ssn) {
        return vault.seal(new PracticeProfileId(practice).toString(), ssn);
    }

    @Override
    public java.util.Optional<String> openSsn(PracticeId practice, Sealed ssn) {
        return vault.open(new PracticeProfileId(practice).toString(), ssn);
    }

    /** The profile in force: worked out once per read of the practice's profile stream, not for every patient. */
    @Override
    public Optional<PracticeProfileView> current(PracticeId practice) {
        return streams.derived(new PracticeProfileId(practice).toString(), "current",
                               events -> latest(practice, events, null));
    }

    @Override
    public Optional<PracticeProfileView> asOf(PracticeId practice, Instant instant) {
        return latest(practice, streams.events(new PracticeProfileId(practice).toString()), instant);
    }

    private static Optional<PracticeProfileView> latest(PracticeId practice, List<ReferenceStreams.Recorded> events,
                                                        Instant instant) {
        PracticeProfileView found = null;
        for (ReferenceStreams.Recorded recorded : events) {
            if (recorded.payload() instanceof PracticeProfileRecorded event
                    && (instant == null || !recorded.recordedAt().isAfter(instant))) {
                found = new PracticeProfileView(practice.value(), event.version(), recorded.recordedAt(),
                                                event.profile());
            }
        }
        return Optional.ofNullable(found);
    }

    /** The roles the profile in force allows to break the glass; none without a profile. */
    @Override
    public java.util.Set<Role> breakGlassRoles(String practiceId) {
        return current(new PracticeId(practiceId)).map(view -> view.profile().breakGlassRoleSet())
                                                  .orElse(java.util.Set.of());
    }

    void recorded(PracticeId practice) {
        streams.forget(new PracticeProfileId(practice).toString());
    }
}
