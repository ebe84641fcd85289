package org.ccmledger.identity.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Crypto-shreds a patient's identity: their key is destroyed, what was sealed with it can never be read again. */
public record ErasePatientIdentity(@TargetAggregateIdentifier IdentityId identityId, ErasureBasis basis,
                                   String reason) {
}
