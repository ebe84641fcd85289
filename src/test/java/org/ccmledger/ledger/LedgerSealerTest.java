package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.axonframework.modelling.command.ConcurrencyException;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/** What a digest's root covers, and that it stops before a slot that is not final. */
class LedgerSealerTest {

    private LedgerFixture ledger;
    private MongoEventStorageEngine engine;
    private LedgerSealer testSubject;

    @BeforeEach
    void setUp() {
        ledger = LedgerFixture.inMemory();
        engine = ledger.engine();
        engine.appendEvents(TestEvents.counted("a", 0, 3));   // 1..3
        engine.appendEvents(TestEvents.counted("b", 0, 2));   // 4..5
        try {
            engine.appendEvents(TestEvents.counted("b", 1, 1));   // 6: conflicts, a tombstone
        } catch (ConcurrencyException expected) {
            // the slot it reserved holds a tombstone
        }
        engine.appendEvents(TestEvents.counted("a", 3, 2));   // 7..8
        testSubject = new LedgerSealer(ledger.collections(), 3);
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    @Test
    @DisplayName("Every slot is a leaf in index order: events by their recomputed hash, tombstones as 'tombstone'")
    void everySlotIsALeafInOrder() {
        LedgerDigests.MerkleRoot expected = new LedgerDigests.MerkleRoot();
        for (long index = 1; index <= 8; index++) {
            Document slot = ledger.collections().events().find(Filters.eq("_id", index)).first();
            expected.add(StoredEvent.isTombstone(slot) ? LedgerDigests.tombstoneLeaf(index)
                                 : LedgerDigests.eventLeaf(index, slot.getString("hash")));
        }

        LedgerSealer.Seal seal = testSubject.sealable();

        assertThat(seal.sealedUpTo()).isEqualTo(8);
        assertThat(seal.eventCount()).isEqualTo(7);
        assertThat(seal.firstEmptySlot()).isZero();
        assertThat(seal.merkleRoot()).isEqualTo(expected.rootHex());
    }

    @Test
    @DisplayName("A slot still in flight is never sealed: the seal stops before it, whatever lies above")
    void aSlotInFlightIsNotSealed() {
        ledger.collections().reserve(1);                      // 9: a commit in flight
        engine.appendEvents(TestEvents.counted("c", 0, 1));   // 10

        LedgerSealer.Seal seal = testSubject.sealable();

        assertThat(seal.sealedUpTo()).isEqualTo(8);
        assertThat(seal.firstEmptySlot()).isEqualTo(9);
        assertThat(seal.merkleRoot()).isEqualTo(testSubject.recompute(8, List.of()).merkleRoot());
    }

    @Test
    @DisplayName("A seal taken before a payload change no longer matches; one taken after seals the changed ledger")
    void aChangedPayloadChangesTheRootEvenWithItsOldHash() {
        LedgerSealer.Seal before = testSubject.sealable();
        ledger.collections().events().updateOne(Filters.eq("_id", 2L),
                                                Updates.set("payload", "{\"counter\":\"a\",\"n\":42}"));

        LedgerSealer.Seal after = testSubject.sealable();

        assertThat(testSubject.recompute(before.sealedUpTo(), List.of()).merkleRoot())
                .isNotEqualTo(before.merkleRoot())
                .isEqualTo(after.merkleRoot());
    }

    @Test
    @DisplayName("Recomputing over a deleted slot stops there and names it")
    void aDeletedSlotIsNamed() {
        LedgerSealer.Seal before = testSubject.sealable();
        ledger.collections().events().deleteOne(Filters.eq("_id", 4L));

        LedgerSealer.Seal today = testSubject.recompute(before.sealedUpTo(), List.of());

        assertThat(today.firstEmptySlot()).isEqualTo(4);
        assertThat(today.sealedUpTo()).isEqualTo(3);
    }

    @Test
    @DisplayName("The roots of shorter prefixes come with the same walk: each equals the seal taken at that length")
    void prefixRootsEqualEarlierSeals() {
        LedgerSealer.Seal atEight = testSubject.sealable();
        engine.appendEvents(TestEvents.counted("c", 0, 5));   // 9..13

        LedgerSealer.Seal atThirteen = testSubject.recompute(13, List.of(0L, 5L, 8L));

        assertThat(atThirteen.rootsAt()).containsEntry(8L, atEight.merkleRoot())
                                        .containsEntry(5L, testSubject.recompute(5, List.of()).merkleRoot())
                                        .containsEntry(0L, new LedgerDigests.MerkleRoot().rootHex());
        assertThat(atThirteen.merkleRoot()).isEqualTo(testSubject.sealable().merkleRoot());
    }
}
