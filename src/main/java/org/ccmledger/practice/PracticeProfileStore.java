package org.ccmledger.practice;

import java.time.Instant;
import java.util.Optional;

import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.axon.ReferenceStreams;
import org.ccmledger.practice.api.PracticeProfileId;
import org.ccmledger.practice.api.PracticeProfileRecorded;
import org.ccmledger.practice.api.PracticeProfiles;
import org.springframework.stereotype.Component;

/** Practice profiles read from their streams in the ledger (verified on read, at most a second old). */
@Component
class PracticeProfileStore implements PracticeProfiles {

    private final ReferenceStreams streams;

    PracticeProfileStore(ReferenceStreams streams) {
        this.streams = streams;
    }

    @Override
    public Optional<PracticeProfileView> current(PracticeId practice) {
        return asOf(practice, null);
    }

    @Override
    public Optional<PracticeProfileView> asOf(PracticeId practice, Instant instant) {
        PracticeProfileView found = null;
        for (ReferenceStreams.Recorded recorded : streams.events(new PracticeProfileId(practice).toString())) {
            if (recorded.payload() instanceof PracticeProfileRecorded event
                    && (instant == null || !recorded.recordedAt().isAfter(instant))) {
                found = new PracticeProfileView(practice.value(), event.version(), recorded.recordedAt(),
                                                event.profile());
            }
        }
        return Optional.ofNullable(found);
    }

    void recorded(PracticeId practice) {
        streams.forget(new PracticeProfileId(practice).toString());
    }
}
