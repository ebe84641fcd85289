package org.ccmledger.billing.export;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.ccmledger.billing.api.ClaimsBatchExported;
import org.ccmledger.billing.api.PayerReferenceRecorded;
import org.ccmledger.billing.api.RecordClaimsBatch;
import org.ccmledger.billing.api.RecordPayerReference;
import org.ccmledger.billing.api.SentClaim;
import org.ccmledger.platform.problem.Refusal;

/**
 * A practice's export ledger (stream {@code practice:<practiceId>:claims}): interchanges numbered 1, 2, 3 … without
 * a gap or a repeat, the claim versions each carried, and the payer's claim numbers recorded for them afterwards.
 */
@Aggregate(type = "ClaimExports")
class ClaimExports {

    private static final Pattern ICN = Pattern.compile("[A-Za-z0-9-]{1,50}");

    @AggregateIdentifier
    private String id;
    private long lastControlNumber;
    private final Set<String> sent = new HashSet<>();

    ClaimExports() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RecordClaimsBatch command) {
        if (command.preparedAt().isBefore(GenericEventMessage.clock.instant().minus(KeptInterchanges.RECORD_WITHIN))) {
            // its copy may be swept as never recorded (DraftSweep): a batch is recorded soon after it is prepared,
            // or not at all
            throw Refusal.conflict("EXPORT_EXPIRED", "this interchange was prepared more than "
                                                     + KeptInterchanges.RECORD_WITHIN.toMinutes()
                                                     + " minutes ago; export again");
        }
        if (command.controlNumber() != lastControlNumber + 1) {
            throw Refusal.conflict("CONCURRENT_EXPORT", "interchange " + (lastControlNumber + 1) + " was exported "
                                                        + "meanwhile; export again");
        }
        apply(new ClaimsBatchExported(command.exports(), command.controlNumber(), command.preparedAt(),
                                      command.month(), command.claims(), command.sha256(), command.bytes()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RecordPayerReference command) {
        if (command.icn() == null || !ICN.matcher(command.icn()).matches()) {
            throw Refusal.malformed("INVALID_FIELD", "Field 'icn' must be 1-50 letters, digits or -");
        }
        if (!sent.contains(command.claimId())) {
            throw Refusal.notFound("UNKNOWN_CLAIM", "no claim of this practice with this id went out");
        }
        apply(new PayerReferenceRecorded(command.exports(), command.claimId(), command.icn()));
    }

    @EventSourcingHandler
    void on(ClaimsBatchExported event) {
        id = event.exports().toString();
        lastControlNumber = event.controlNumber();
        event.claims().stream().map(SentClaim::claimId).forEach(sent::add);
    }

    @EventSourcingHandler
    void on(PayerReferenceRecorded event) {
        id = event.exports().toString();
    }
}
