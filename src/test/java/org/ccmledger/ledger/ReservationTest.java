package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** Global indexes are reserved through the database, and no two commits ever get the same one. */
class ReservationTest {

    @Test
    void concurrentReservationsNeverOverlap() throws Exception {
        try (LedgerFixture ledger = LedgerFixture.inMemory()) {
            ledger.collections().ensureIndexes();
            Set<Long> reserved = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Callable<Integer>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                writers.add(() -> {
                    int overlaps = 0;
                    for (int i = 0; i < 500; i++) {
                        long last = ledger.collections().reserve(3);
                        for (long index = last - 2; index <= last; index++) {
                            overlaps += reserved.add(index) ? 0 : 1;
                        }
                    }
                    return overlaps;
                });
            }
            int overlaps = 0;
            for (Future<Integer> result : pool.invokeAll(writers)) {
                overlaps += result.get();
            }
            pool.shutdown();

            assertThat(overlaps).isZero();
            assertThat(reserved).hasSize(8 * 500 * 3);
            assertThat(ledger.collections().highestReserved()).isEqualTo(8 * 500 * 3);
        }
    }
}
