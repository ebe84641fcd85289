package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToInitializeTokenException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MongoTokenStoreTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private LedgerFixture ledger;
    private MongoTokenStore testSubject;
    private MongoTokenStore otherNode;

    @BeforeEach
    void setUp() {
        ledger = LedgerFixture.inMemory();
        testSubject = store("node-a");
        otherNode = store("node-b");
    }

    private MongoTokenStore store(String nodeId) {
        return MongoTokenStore.builder().database(ledger.database()).serializer(LedgerFixture.SERIALIZER)
                              .nodeId(nodeId).clock(clock).claimTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    @Test
    void storedTokenIsFetchedBackByItsOwner() {
        testSubject.initializeTokenSegments("p", 2);
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(42, java.util.List.of(40L, 41L));

        testSubject.fetchToken("p", 0);
        testSubject.storeToken(token, "p", 0);

        assertThat(testSubject.fetchToken("p", 0)).isEqualTo(token);
        assertThat(testSubject.fetchToken("p", 1)).isNull();
        assertThat(testSubject.fetchSegments("p")).containsExactly(0, 1);
    }

    @Test
    void aClaimedSegmentCannotBeClaimedByAnotherNodeUntilTheClaimTimesOut() {
        testSubject.initializeTokenSegments("p", 1);
        testSubject.fetchToken("p", 0);

        assertThatThrownBy(() -> otherNode.fetchToken("p", 0)).isInstanceOf(UnableToClaimTokenException.class);
        assertThatThrownBy(() -> otherNode.storeToken(null, "p", 0)).isInstanceOf(UnableToClaimTokenException.class);
        assertThat(otherNode.fetchAvailableSegments("p")).isEmpty();

        clock.advance(Duration.ofSeconds(11));
        assertThat(otherNode.fetchAvailableSegments("p")).hasSize(1);
        otherNode.fetchToken("p", 0);
        assertThatThrownBy(() -> testSubject.extendClaim("p", 0)).isInstanceOf(UnableToClaimTokenException.class);
    }

    @Test
    void extendingAClaimKeepsItAndReleasingItFreesIt() {
        testSubject.initializeTokenSegments("p", 1);
        testSubject.fetchToken("p", 0);
        clock.advance(Duration.ofSeconds(8));
        testSubject.extendClaim("p", 0);
        clock.advance(Duration.ofSeconds(8));
        assertThatThrownBy(() -> otherNode.fetchToken("p", 0)).isInstanceOf(UnableToClaimTokenException.class);

        testSubject.releaseClaim("p", 0);
        otherNode.fetchToken("p", 0);
    }

    @Test
    void uninitializedSegmentsCannotBeClaimedAndInitializedOnesNotInitializedTwice() {
        assertThatThrownBy(() -> testSubject.fetchToken("p", 0)).isInstanceOf(UnableToClaimTokenException.class);

        testSubject.initializeSegment(null, "p", 0);

        assertThatThrownBy(() -> otherNode.initializeSegment(null, "p", 0))
                .isInstanceOf(UnableToInitializeTokenException.class);
        assertThatThrownBy(() -> otherNode.initializeTokenSegments("p", 1))
                .isInstanceOf(UnableToClaimTokenException.class);
        assertThat(testSubject.requiresExplicitSegmentInitialization()).isTrue();
    }

    @Test
    void aClaimOnASegmentThatWasSplitMeanwhileIsRefused() {
        testSubject.initializeTokenSegments("p", 1);
        otherNode.initializeSegment(null, "p", 1);

        assertThatThrownBy(() -> testSubject.fetchToken("p", Segment.ROOT_SEGMENT))
                .isInstanceOf(UnableToClaimTokenException.class).hasMessageContaining("split");
        assertThat(otherNode.fetchAvailableSegments("p")).hasSize(2);
    }

    @Test
    void onlyTheOwnerDeletesAToken() {
        testSubject.initializeTokenSegments("p", 2);
        testSubject.fetchToken("p", 1);

        assertThatThrownBy(() -> otherNode.deleteToken("p", 1)).isInstanceOf(UnableToClaimTokenException.class);
        testSubject.deleteToken("p", 1);

        assertThat(testSubject.fetchSegments("p")).containsExactly(0);
    }

    @Test
    void theStorageIdentifierIsStableAndSharedByAllNodes() {
        String id = testSubject.retrieveStorageIdentifier().orElseThrow();

        assertThat(otherNode.retrieveStorageIdentifier()).contains(id);
        assertThat(testSubject.fetchSegments("__config")).isEmpty();
    }

    @Test
    void peekingAtTokensDoesNotClaimThem() {
        testSubject.initializeTokenSegments("p", 1, GapAwareTrackingToken.newInstance(7, Collections.emptySet()));

        assertThat(otherNode.peekTokens("p")).extracting(t -> t.position().getAsLong()).containsExactly(7L);
        testSubject.fetchToken("p", 0);
    }

    // --- advances that handled nothing (deferAdvances) ---

    private MongoTokenStore deferring(String nodeId) {
        return MongoTokenStore.builder().database(ledger.database()).serializer(LedgerFixture.SERIALIZER)
                              .nodeId(nodeId).clock(clock).claimTimeout(Duration.ofSeconds(10))
                              .deferAdvances(Duration.ofMillis(200)).build();
    }

    /** node-a, deferring advances, holding the claim on segment 0 of "p", which starts at {@code initial}. */
    private MongoTokenStore holding(GapAwareTrackingToken initial) {
        MongoTokenStore node = deferring("node-a");
        node.initializeTokenSegments("p", 1, initial);
        node.fetchToken("p", 0);
        return node;
    }

    private static GapAwareTrackingToken at(long index) {
        return GapAwareTrackingToken.newInstance(index, Collections.emptySet());
    }

    /** The position another node reads for segment 0 of "p": what is stored. */
    private long storedPosition() {
        return otherNode.peekTokens("p").get(0).position().orElse(-1);
    }

    private long storedClaimedAt() {
        return ledger.database().getCollection("tokens").find(new org.bson.Document("_id", "p#0")).first()
                     .get(TokenEntries.CLAIMED_AT, Number.class).longValue();
    }

    @Test
    void anAdvanceThatHandledNothingWaitsUntilTheDeferralHasPassedThenIsWritten() {
        MongoTokenStore node = holding(at(1));

        node.storeToken(at(3), "p", 0);
        assertThat(storedPosition()).as("the first token after a claim").isEqualTo(3);
        node.storeToken(at(5), "p", 0);
        assertThat(storedPosition()).isEqualTo(3);
        assertThat(node.peekTokens("p")).extracting(t -> t.position().getAsLong()).containsExactly(5L);

        clock.advance(Duration.ofMillis(250));
        node.storeToken(at(9), "p", 0);
        assertThat(storedPosition()).isEqualTo(9);

        node.storeToken(at(12), "p", 0);
        clock.advance(Duration.ofMillis(100));
        node.extendClaim("p", 0);
        assertThat(storedPosition()).isEqualTo(9);
        clock.advance(Duration.ofMillis(150));
        node.extendClaim("p", 0);
        assertThat(storedPosition()).isEqualTo(12);
    }

    @Test
    void aTokenStoredForABatchThatHandledEventsIsWrittenAtOnce() {
        MongoTokenStore node = holding(at(1));

        org.axonframework.messaging.unitofwork.UnitOfWork<?> batch =
                org.axonframework.messaging.unitofwork.DefaultUnitOfWork.startAndGet(null);
        try {
            node.storeToken(at(5), "p", 0);
        } finally {
            batch.commit();
        }

        assertThat(storedPosition()).isEqualTo(5);
    }

    @Test
    void aReleasedClaimWritesTheDeferredTokenFirstAndARestartLosesOnlyTheDeferredAdvance() {
        MongoTokenStore node = holding(at(1));
        node.storeToken(at(3), "p", 0);
        node.storeToken(at(5), "p", 0);

        MongoTokenStore restarted = deferring("node-a");
        assertThat(restarted.fetchToken("p", 0)).isEqualTo(at(3));

        node.releaseClaim("p", 0);
        assertThat(otherNode.fetchToken("p", 0)).isEqualTo(at(5));
    }

    @Test
    void aDeferredTokenIsDroppedOnceAnotherNodeHasHadTheSegment() {
        MongoTokenStore node = holding(at(1));
        node.storeToken(at(3), "p", 0);
        node.storeToken(at(5), "p", 0);

        clock.advance(Duration.ofSeconds(11));
        otherNode.fetchToken("p", 0);
        otherNode.storeToken(at(20), "p", 0);
        otherNode.releaseClaim("p", 0);

        assertThat(node.fetchToken("p", 0)).isEqualTo(at(20));
        assertThat(storedPosition()).isEqualTo(20);
    }

    @Test
    void aReplaysTokensAreWrittenAtOnceAndComparedWithoutFailing() {
        MongoTokenStore node = holding(at(9));
        org.axonframework.eventhandling.ReplayToken replay = (org.axonframework.eventhandling.ReplayToken)
                org.axonframework.eventhandling.ReplayToken.createReplayToken(at(9), null);
        node.storeToken(replay, "p", 0);

        node.storeToken(replay.advancedTo(at(3)), "p", 0);

        assertThat(otherNode.peekTokens("p").get(0)).isInstanceOf(org.axonframework.eventhandling.ReplayToken.class)
                                                  .extracting(t -> t.position().orElse(-1)).isEqualTo(3L);
    }

    @Test
    void aYoungClaimIsNotExtendedAgainAnOlderOneIs() {
        MongoTokenStore node = holding(at(1));
        long claimed = storedClaimedAt();

        clock.advance(Duration.ofMillis(500));
        node.extendClaim("p", 0);
        assertThat(storedClaimedAt()).isEqualTo(claimed);

        clock.advance(Duration.ofMillis(1_000));
        node.extendClaim("p", 0);
        assertThat(storedClaimedAt()).isEqualTo(claimed + 1_500);
        assertThatThrownBy(() -> otherNode.fetchToken("p", 0)).isInstanceOf(UnableToClaimTokenException.class);
    }

    @Test
    void withoutDeferralEveryAdvanceAndExtensionIsWrittenAtOnce() {
        testSubject.initializeTokenSegments("p", 1, at(1));
        testSubject.fetchToken("p", 0);
        long claimed = storedClaimedAt();

        testSubject.storeToken(at(5), "p", 0);
        assertThat(storedPosition()).isEqualTo(5);
        clock.advance(Duration.ofMillis(10));
        testSubject.extendClaim("p", 0);
        assertThat(storedClaimedAt()).isEqualTo(claimed + 10);
    }

    @Test
    void aTokenThatMovesTheSegmentBackIsWrittenAtOnceEvenOutsideABatch() {
        MongoTokenStore node = holding(at(9));

        node.storeToken(at(2), "p", 0);
        assertThat(storedPosition()).isEqualTo(2);

        node.storeToken(org.axonframework.eventhandling.ReplayToken.createReplayToken(at(2), at(0)), "p", 0);
        assertThat(otherNode.peekTokens("p").get(0))
                .isInstanceOf(org.axonframework.eventhandling.ReplayToken.class);
    }
}
