package org.ccmledger.practice;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashMap;
import java.util.Map;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.practice.api.RecordStaffMember;
import org.ccmledger.practice.api.StaffMember;
import org.ccmledger.practice.api.StaffMemberRecorded;

/**
 * A practice's staff directory (stream {@code practice:<practiceId>:staff}): recording a member as they already are
 * changes nothing, so a retried request writes no second event.
 */
@Aggregate(type = "StaffDirectory")
class StaffDirectoryAggregate {

    @AggregateIdentifier
    private String id;
    private final Map<String, StaffMember> members = new HashMap<>();

    StaffDirectoryAggregate() {
        // for Axon
    }

    /** Returns whether anything was recorded. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    boolean handle(RecordStaffMember command) {
        if (command.member().equals(members.get(command.member().userId()))) {
            if (id == null) {
                id = command.directoryId().toString();
            }
            return false;
        }
        apply(new StaffMemberRecorded(command.directoryId(), command.member()));
        return true;
    }

    @EventSourcingHandler
    void on(StaffMemberRecorded event) {
        id = event.directoryId().toString();
        members.put(event.member().userId(), event.member());
    }
}
