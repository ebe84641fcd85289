package org.ccmledger.billing.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which claim versions go out next (see {@link ClaimBatches}): per patient-month the chain of versions (statement,
 * replacements, a void), and of each chain the latest when it is newer than the last one sent.
 *
 * @param outgoing      what goes out
 * @param held          versions that would go out but wait for the payer's claim number of what they replace
 * @param addOnsLeftOut why visit claims stay out, {@code null} when none did
 */
record Selection(List<Outgoing> outgoing, List<String> held, String addOnsLeftOut) {

    /**
     * One claim version going out.
     *
     * @param sentId    the version's id (for a void, the adjustment that voided the claim)
     * @param claim     what the claim says (for a void, the content of the claim voided)
     * @param frequency {@code 1}, {@code 7} or {@code 8}
     * @param replaces  the version sent before whose ICN a 7 or 8 names; {@code null} for an original
     * @param covers    the versions it stands for (versions in between never go out)
     */
    record Outgoing(String sentId, Claim claim, String frequency, String replaces, List<String> covers) {
    }

    /** A version of a chain: a claim, or the void of the claim before it. */
    private record Version(String id, Claim claim) {

        boolean isVoid() {
            return claim == null;
        }
    }

    static Selection of(ClaimsFeed.Feed feed, ClaimBatches.History history, boolean exportVisitClaims) {
        Map<String, List<Version>> chains = new LinkedHashMap<>();
        Map<String, String> chainOf = new LinkedHashMap<>();
        int visitsLeftOut = 0;
        for (Claim claim : feed.claims()) {
            if (claim.kind() == Claim.Kind.INITIATING_VISIT && !exportVisitClaims) {
                visitsLeftOut++;
                continue;
            }
            String chain = claim.replacesClaimId() == null ? claim.claimId() : chainOf.get(claim.replacesClaimId());
            chains.computeIfAbsent(chain, c -> new ArrayList<>()).add(new Version(claim.claimId(), claim));
            chainOf.put(claim.claimId(), chain);
        }
        feed.voidedBy().forEach((voided, voidId) -> {
            String chain = chainOf.get(voided);
            if (chain != null) {
                chains.get(chain).add(new Version(voidId, null));
            }
        });
        List<Outgoing> outgoing = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (List<Version> versions : chains.values()) {
            int last = versions.size() - 1;
            int lastSent = -1;
            for (int i = 0; i <= last; i++) {
                if (history.sent(versions.get(i).id())) {
                    lastSent = i;
                }
            }
            Version latest = versions.get(last);
            if (lastSent == last || (lastSent < 0 && latest.isVoid())) {
                continue;
            }
            List<String> covers = versions.subList(lastSent + 1, last + 1).stream().map(Version::id).toList();
            if (lastSent < 0) {
                outgoing.add(new Outgoing(latest.id(), latest.claim(), "1", null, covers));
                continue;
            }
            Version sent = versions.get(lastSent);
            if (!history.icns().containsKey(sent.id())) {
                held.add(latest.id() + " (no payer claim number recorded for " + sent.id() + ")");
                continue;
            }
            outgoing.add(latest.isVoid()
                    ? new Outgoing(latest.id(), sent.claim(), "8", sent.id(), covers)
                    : new Outgoing(latest.id(), latest.claim(), "7", sent.id(), covers));
        }
        String addOns = visitsLeftOut == 0 ? null
                : visitsLeftOut + " G0506 add-on(s) left out: G0506 belongs on the initiating visit's claim with its "
                  + "base code (R9), which this practice bills elsewhere (profile exportVisitClaims=false)";
        return new Selection(outgoing, held, addOns);
    }
}
