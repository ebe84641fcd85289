package org.ccmledger.identity.api;

import org.axonframework.serialization.Revision;
import org.ccmledger.platform.crypto.Sealed;

/** A patient's identity was recorded: version 1, or a correction (2, 3 …); sealed, never in clear. */
@Revision("1")
public record PatientIdentityRecorded(IdentityId identityId, int version, Sealed identity) {
}
