package org.ccmledger.billing.api;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records an interchange the practice exported: refused unless {@code controlNumber} is the next of the practice's
 * (two exports at once), so control numbers never repeat.
 *
 * @param controlNumber ISA13 and GS06, 1, 2, 3 … per practice
 * @param preparedAt    ISA09/ISA10 and GS04/GS05
 * @param sha256        SHA-256 of the interchange's bytes, which are kept beside the ledger
 */
public record RecordClaimsBatch(@TargetAggregateIdentifier ClaimExportsId exports, long controlNumber,
                                Instant preparedAt, YearMonth month, List<SentClaim> claims, String sha256,
                                int bytes) {
}
