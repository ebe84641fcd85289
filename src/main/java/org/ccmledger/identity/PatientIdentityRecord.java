package org.ccmledger.identity;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.identity.api.ErasePatientIdentity;
import org.ccmledger.identity.api.PatientIdentityErased;
import org.ccmledger.identity.api.PatientIdentityRecorded;
import org.ccmledger.identity.api.RecordPatientIdentity;
import org.ccmledger.platform.problem.Refusal;

/**
 * A patient's identity record (stream {@code <practiceId>/<patientId>/identity}): sealed versions, and at most one
 * erasure, after which nothing more is recorded: the patient's identity is gone for good.
 */
@Aggregate(type = "PatientIdentity")
class PatientIdentityRecord {

    @AggregateIdentifier
    private String id;
    private int version;
    private boolean erased;

    PatientIdentityRecord() {
        // for Axon
    }

    /** Returns the new version. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    int handle(RecordPatientIdentity command) {
        if (erased) {
            throw Refusal.conflict("IDENTITY_ERASED", "this patient's identity was erased; nothing more is recorded");
        }
        apply(new PatientIdentityRecorded(command.identityId(), version + 1, command.identity()));
        return version;
    }

    @CommandHandler
    void handle(ErasePatientIdentity command) {
        if (erased) {
            throw Refusal.conflict("IDENTITY_ERASED", "this patient's identity was erased already");
        }
        apply(new PatientIdentityErased(command.identityId(), command.basis(), command.reason()));
    }

    @EventSourcingHandler
    void on(PatientIdentityRecorded event) {
        id = event.identityId().toString();
        version = event.version();
    }

    @EventSourcingHandler
    void on(PatientIdentityErased event) {
        erased = true;
    }
}
