package org.ccmledger.practice;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.ccmledger.patient.PracticeId;
import org.ccmledger.platform.axon.ReferenceStreams;
import org.ccmledger.practice.api.StaffDirectory;
import org.ccmledger.practice.api.StaffDirectoryId;
import org.ccmledger.practice.api.StaffMember;
import org.ccmledger.practice.api.StaffMemberRecorded;
import org.springframework.stereotype.Component;

/** Staff directories read from their streams in the ledger (verified on read, at most a second old). */
@Component
class StaffDirectoryStore implements StaffDirectory {

    private final ReferenceStreams streams;

    StaffDirectoryStore(ReferenceStreams streams) {
        this.streams = streams;
    }

    @Override
    public Map<String, StaffMember> asOf(PracticeId practice, Instant instant) {
        Map<String, StaffMember> members = new TreeMap<>();
        for (ReferenceStreams.Recorded recorded : streams.events(new StaffDirectoryId(practice).toString())) {
            if (recorded.payload() instanceof StaffMemberRecorded event
                    && (instant == null || !recorded.recordedAt().isAfter(instant))) {
                members.put(event.member().userId(), event.member());
            }
        }
        return members;
    }

    void recorded(PracticeId practice) {
        streams.forget(new StaffDirectoryId(practice).toString());
    }
}
