package org.ccmledger.codeset;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashSet;
import java.util.Set;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.codeset.api.Icd10EditionLoaded;
import org.ccmledger.codeset.api.LoadIcd10Edition;
import org.ccmledger.platform.problem.Refusal;

/**
 * The record of ICD-10-CM editions loaded into the ledger (stream {@code reference:icd10cm}): each edition name once.
 */
@Aggregate
class Icd10CodeSet {

    @AggregateIdentifier
    private String id;
    private final Set<String> editions = new HashSet<>();

    Icd10CodeSet() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(LoadIcd10Edition command) {
        if (editions.contains(command.edition())) {
            throw Refusal.conflict("EDITION_LOADED", "ICD-10-CM " + command.edition() + " is loaded already");
        }
        apply(new Icd10EditionLoaded(command.codeSet(), command.edition(), command.effectiveFrom(),
                                     command.effectiveTo(), command.fileSha256(), command.codesSha256(),
                                     command.codeCount(), command.source()));
    }

    @EventSourcingHandler
    void on(Icd10EditionLoaded event) {
        id = event.codeSet().toString();
        editions.add(event.edition());
    }
}
