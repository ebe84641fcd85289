package org.ccmledger.practice.api;

import org.axonframework.serialization.Revision;

/** A staff member was recorded; the latest recording for a user id is the one in force from then on. */
@Revision("1")
public record StaffMemberRecorded(StaffDirectoryId directoryId, StaffMember member) {
}
