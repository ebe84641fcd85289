package org.ccmledger.identity.api;

import org.axonframework.serialization.Revision;

/** A patient's identity key was destroyed (crypto-shredding): the sealed versions stay in the ledger, unreadable. */
@Revision("1")
public record PatientIdentityErased(IdentityId identityId, ErasureBasis basis, String reason) {
}
