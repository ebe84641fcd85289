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
}
