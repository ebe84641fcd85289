package org.ccmledger.practice.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records who a user id is (a new member, or a change of name, credential or NPI) in the practice's directory. */
public record RecordStaffMember(@TargetAggregateIdentifier StaffDirectoryId directoryId, StaffMember member) {
}
