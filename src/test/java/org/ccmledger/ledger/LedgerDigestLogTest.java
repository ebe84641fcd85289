package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.ccmledger.ledger.LedgerDigests.Digest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;

/** The digest log is append-only, numbered without holes and chained, also under concurrent appends. */
class LedgerDigestLogTest {

    private static final String ROOT = "c".repeat(64);

    private LedgerFixture ledger;
    private LedgerDigestLog testSubject;
    private KeyPair key;

    @BeforeEach
    void setUp() throws Exception {
        ledger = LedgerFixture.inMemory();
        ledger.collections().ensureIndexes();
        testSubject = new LedgerDigestLog(ledger.collections());
        key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    private Digest append(long sealedUpTo) {
        return testSubject.append(previous -> LedgerDigests.sign(
                LedgerDigests.next(previous, sealedUpTo, sealedUpTo, ROOT, Instant.now(),
                                   LedgerDigests.keyId(key.getPublic())), key.getPrivate()));
    }

    @Test
    @DisplayName("Digests are numbered 1, 2, 3 and each names the hash of the one before")
    void digestsAreNumberedAndChained() {
        Digest first = append(3);
        Digest second = append(5);
        Digest third = append(9);

        assertThat(List.of(first.sequence(), second.sequence(), third.sequence())).containsExactly(1L, 2L, 3L);
        assertThat(second.previousDigest()).isEqualTo(first.chainHash());
        assertThat(third.previousDigest()).isEqualTo(second.chainHash());
        assertThat(testSubject.latest()).contains(third);
        assertThat(testSubject.find(2)).contains(second);
        assertThat(LedgerDigests.signatureValid(testSubject.find(2).orElseThrow(), key.getPublic())).isTrue();
    }

    @Test
    @DisplayName("Pages list newest first from a cursor; the digests before one come oldest first")
    void pagesAreNewestFirst() {
        for (int i = 1; i <= 7; i++) {
            append(i);
        }

        assertThat(testSubject.newestFirst(7, 3)).extracting(Digest::sequence).containsExactly(7L, 6L, 5L);
        assertThat(testSubject.newestFirst(2, 3)).extracting(Digest::sequence).containsExactly(2L, 1L);
        assertThat(testSubject.before(4)).extracting(Digest::sequence).containsExactly(1L, 2L, 3L);
        assertThat(testSubject.highestSequence()).isEqualTo(7);
    }

    @Test
    @DisplayName("Concurrent appends from many writers leave one unbroken chain with no number taken twice")
    void concurrentAppendsStayOneChain() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Digest>> appended = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long sealedUpTo = i;
                appended.add(writers.submit(() -> append(sealedUpTo)));
            }
            for (Future<Digest> f : appended) {
                f.get();
            }
        } finally {
            writers.shutdown();
        }

        List<Digest> all = testSubject.before(41);
        assertThat(all).extracting(Digest::sequence).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).previousDigest()).isEqualTo(all.get(i - 1).chainHash());
        }
    }

    @Test
    @DisplayName("When the latest digest was deleted, nothing is chained onto the hole")
    void aDeletedLatestDigestStopsAppends() {
        append(1);
        append(2);
        ledger.collections().digests().deleteOne(Filters.eq("_id", 2L));

        assertThatThrownBy(testSubject::latest).isInstanceOf(IllegalStateException.class)
                                               .hasMessageContaining("ledger digest 2 is missing");
        assertThatThrownBy(() -> append(3)).isInstanceOf(IllegalStateException.class);
    }
}
