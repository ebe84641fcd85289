package org.ccmledger.practice.api;

import org.axonframework.serialization.Revision;

/** A practice's profile was recorded: version 1, 2, … in force from its recording until the next. */
@Revision("1")
public record PracticeProfileRecorded(PracticeProfileId profileId, int version, PracticeProfile profile) {
}
