package org.ccmledger.practice;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.practice.api.PracticeProfileRecorded;
import org.ccmledger.practice.api.RecordPracticeProfile;

/** A practice's profile (stream {@code practice:<practiceId>}): each recording is a new version, none is changed. */
@Aggregate(type = "PracticeProfile")
class PracticeProfileAggregate {

    @AggregateIdentifier
    private String id;
    private int version;

    PracticeProfileAggregate() {
        // for Axon
    }

    /** Returns the new version's number. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    int handle(RecordPracticeProfile command) {
        apply(new PracticeProfileRecorded(command.profileId(), version + 1, command.profile()));
        return version;
    }

    @EventSourcingHandler
    void on(PracticeProfileRecorded event) {
        id = event.profileId().toString();
        version = event.version();
    }
}
