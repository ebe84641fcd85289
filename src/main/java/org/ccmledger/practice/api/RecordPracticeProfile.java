package org.ccmledger.practice.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records a practice's profile as a whole, replacing the one in force from now on. */
public record RecordPracticeProfile(@TargetAggregateIdentifier PracticeProfileId profileId, PracticeProfile profile) {
}
