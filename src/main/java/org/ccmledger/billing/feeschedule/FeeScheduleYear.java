package org.ccmledger.billing.feeschedule;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashSet;
import java.util.Set;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.billing.api.FeeScheduleImported;
import org.ccmledger.billing.api.ImportFeeSchedule;
import org.ccmledger.platform.problem.Refusal;

/** One year's imported fee schedules (stream {@code reference:fee-schedule:<year>}): numbered, never replaced. */
@Aggregate(type = "FeeSchedule")
class FeeScheduleYear {

    @AggregateIdentifier
    private String id;
    private int imports;
    private final Set<String> versions = new HashSet<>();

    FeeScheduleYear() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ImportFeeSchedule command) {
        if (command.number() != imports + 1 || versions.contains(command.version())) {
            throw Refusal.conflict("CONCURRENT_IMPORT", "another import of " + command.feeSchedule().year()
                                                       + " was recorded meanwhile; import again");
        }
        apply(new FeeScheduleImported(command.feeSchedule(), command.number(), command.version(),
                                      command.ruleData(), command.fileSha256(), command.source()));
    }

    @EventSourcingHandler
    void on(FeeScheduleImported event) {
        id = event.feeSchedule().toString();
        imports = event.number();
        versions.add(event.version());
    }
}
