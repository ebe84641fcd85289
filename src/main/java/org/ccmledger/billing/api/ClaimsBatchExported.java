package org.ccmledger.billing.api;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

import org.axonframework.serialization.Revision;

/**
 * An X12 837P interchange went out ({@link RecordClaimsBatch}): its control number and time, the claim versions in
 * it, and the SHA-256 of its bytes, so a past batch is served again byte for byte and checked against this record.
 */
@Revision("1")
public record ClaimsBatchExported(ClaimExportsId exports, long controlNumber, Instant preparedAt, YearMonth month,
                                  List<SentClaim> claims, String sha256, int bytes) {
}
