package org.ccmledger.billing.api;

import java.util.Objects;

/**
 * One claim version as an interchange carried it.
 *
 * @param claimId          the claim version (a statement's id, an adjustment's, or a visit claim's)
 * @param controlNumber    its patient control number, CLM01 (at most 20 characters, unique per version)
 * @param frequency        CLM05-3: {@code 1} original, {@code 7} replacement, {@code 8} void
 * @param payerReference   for 7 and 8, the payer's claim control number (ICN) of the claim it replaces, REF*F8
 * @param covers           the claim versions it stands for: itself, and versions before it that never went out
 */
public record SentClaim(String claimId, String controlNumber, String frequency, String payerReference,
                        java.util.List<String> covers) {

    public SentClaim {
        Objects.requireNonNull(claimId, "claimId");
        Objects.requireNonNull(controlNumber, "controlNumber");
        Objects.requireNonNull(frequency, "frequency");
        covers = covers == null ? java.util.List.of(claimId) : java.util.List.copyOf(covers);
    }
}
