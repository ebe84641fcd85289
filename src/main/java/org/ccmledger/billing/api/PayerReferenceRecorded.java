package org.ccmledger.billing.api;

import org.axonframework.serialization.Revision;

/** The payer's claim control number (ICN) of a claim version that went out ({@link RecordPayerReference}). */
@Revision("1")
public record PayerReferenceRecorded(ClaimExportsId exports, String claimId, String icn) {
}
