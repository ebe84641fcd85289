package org.ccmledger.billing.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import org.ccmledger.billing.api.ClaimExportsId;
import org.ccmledger.billing.api.ClaimsBatchExported;
import org.ccmledger.billing.api.SentClaim;
import org.ccmledger.patient.PracticeId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** P4 and the export ledger: what of a patient-month's versions goes out next, and as which frequency. */
class SelectionTest {

    private static final YearMonth SEPTEMBER = YearMonth.of(2026, 9);

    private static Claim claim(String id, String replaces) {
        return new Claim(id, replaces == null ? Claim.Frequency.ORIGINAL : Claim.Frequency.REPLACEMENT, replaces,
                         "p1", "pt-1", "1234567893", SEPTEMBER, "11", List.of("E119", "I10"),
                         List.of(new Claim.Item(id + "-1", 1, "99490", 1, new BigDecimal("66.13"),
                                                SEPTEMBER.atEndOfMonth(), List.of(1, 2))));
    }

    private static ClaimBatches.History sent(Map<String, String> icns, String... claimIds) {
        List<SentClaim> claims = java.util.Arrays.stream(claimIds)
                                                 .map(id -> new SentClaim(id, "C" + id.hashCode(), "1", null, null))
                                                 .toList();
        return new ClaimBatches.History(claims.isEmpty() ? List.of() : List.of(new ClaimsBatchExported(
                new ClaimExportsId(new PracticeId("p1")), 1, Instant.parse("2026-10-02T08:00:00Z"), SEPTEMBER,
                claims, "sha", 10)), icns);
    }

    @Test
    @DisplayName("Never sent: only the latest version goes out, as an original standing for the ones before it")
    void neverSentGoesOutOnceAsAnOriginal() {
        ClaimsFeed.Feed feed = new ClaimsFeed.Feed(List.of(claim("s", null), claim("s-a1", "s")), List.of());

        Selection selection = Selection.of(feed, sent(Map.of()), false);

        assertThat(selection.outgoing()).singleElement().satisfies(out -> {
            assertThat(out.sentId()).isEqualTo("s-a1");
            assertThat(out.frequency()).isEqualTo("1");
            assertThat(out.replaces()).isNull();
            assertThat(out.covers()).containsExactly("s", "s-a1");
        });
    }

    @Test
    @DisplayName("P4: the versions an original stood for count as sent: the next change replaces the one that went out")
    void versionsAnInterchangeStoodForCountAsSent() {
        ClaimsBatchExported batch = new ClaimsBatchExported(
                new ClaimExportsId(new PracticeId("p1")), 1, Instant.parse("2026-10-02T08:00:00Z"), SEPTEMBER,
                List.of(new SentClaim("s-a1", "C1", "1", null, List.of("s", "s-a1"))), "sha", 10);
        ClaimBatches.History history = new ClaimBatches.History(List.of(batch), Map.of("s-a1", "ICN1"));

        assertThat(history.sent("s")).as("stood for, never sent itself").isTrue();
        assertThat(history.sent("s-a2")).isFalse();
        ClaimsFeed.Feed feed = new ClaimsFeed.Feed(List.of(claim("s", null), claim("s-a1", "s")), List.of());
        assertThat(Selection.of(feed, history, false).outgoing()).as("nothing new").isEmpty();
        ClaimsFeed.Feed changed = new ClaimsFeed.Feed(List.of(claim("s", null), claim("s-a1", "s"),
                                                              claim("s-a2", "s-a1")), List.of());
        assertThat(Selection.of(changed, history, false).outgoing()).singleElement().satisfies(out -> {
            assertThat(out.sentId()).isEqualTo("s-a2");
            assertThat(out.frequency()).isEqualTo("7");
            assertThat(out.replaces()).isEqualTo("s-a1");
            assertThat(out.covers()).containsExactly("s-a2");
        });
    }

    @Test
    @DisplayName("P4: sent and changed: a replacement (7) of the version sent, held until its ICN is recorded")
    void aReplacementWaitsForThePayersClaimNumber() {
        ClaimsFeed.Feed feed = new ClaimsFeed.Feed(List.of(claim("s", null), claim("s-a1", "s")), List.of());

        Selection held = Selection.of(feed, sent(Map.of(), "s"), false);
        assertThat(held.outgoing()).isEmpty();
        assertThat(held.held()).singleElement().asString().contains("s-a1").contains("no payer claim number");

        Selection ready = Selection.of(feed, sent(Map.of("s", "ICN1"), "s"), false);
        assertThat(ready.outgoing()).singleElement().satisfies(out -> {
            assertThat(out.frequency()).isEqualTo("7");
            assertThat(out.replaces()).isEqualTo("s");
            assertThat(out.claim().claimId()).isEqualTo("s-a1");
        });
        assertThat(Selection.of(feed, sent(Map.of("s", "ICN1"), "s", "s-a1"), false).outgoing())
                .as("nothing is sent twice").isEmpty();
    }

    @Test
    @DisplayName("P4: a month left with nothing to bill voids the claim sent (8, with its content and ICN)")
    void aVoid() {
        ClaimsFeed.Feed feed = new ClaimsFeed.Feed(List.of(claim("s", null)), List.of("s"), Map.of("s", "s-a1"));

        assertThat(Selection.of(feed, sent(Map.of("s", "ICN1"), "s"), false).outgoing())
                .singleElement().satisfies(out -> {
                    assertThat(out.sentId()).isEqualTo("s-a1");
                    assertThat(out.frequency()).isEqualTo("8");
                    assertThat(out.claim().claimId()).isEqualTo("s");
                    assertThat(out.replaces()).isEqualTo("s");
                });
        assertThat(Selection.of(feed, sent(Map.of()), false).outgoing()).as("never sent, nothing to void")
                                                                      .isEmpty();
    }

    @Test
    @DisplayName("R9: visit claims go out only when the profile says so; otherwise the reason is given")
    void visitClaims() {
        Claim visit = new Claim("s-V", Claim.Frequency.ORIGINAL, null, "p1", "pt-1", "1234567893", SEPTEMBER, "11",
                                List.of("E119"), List.of(new Claim.Item("v1", 1, "G0506", 1, BigDecimal.ONE,
                                                                        SEPTEMBER.atDay(2), List.of(1))),
                                Claim.Kind.INITIATING_VISIT);
        ClaimsFeed.Feed feed = new ClaimsFeed.Feed(List.of(claim("s", null), visit), List.of());

        Selection without = Selection.of(feed, sent(Map.of()), false);
        assertThat(without.outgoing()).extracting(Selection.Outgoing::sentId).containsExactly("s");
        assertThat(without.addOnsLeftOut()).startsWith("1 G0506 add-on(s) left out");
        assertThat(Selection.of(feed, sent(Map.of()), true).outgoing()).extracting(Selection.Outgoing::sentId)
                                                                     .containsExactly("s", "s-V");
    }
}
