package org.ccmledger.identity.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.ccmledger.platform.crypto.Sealed;

/** Records (or corrects) a patient's identity, sealed with the patient's key: the ledger never sees it in clear. */
public record RecordPatientIdentity(@TargetAggregateIdentifier IdentityId identityId, Sealed identity) {
}
