package org.ccmledger.codeset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.ccmledger.codeset.api.Billability;
import org.junit.jupiter.api.Test;

class Icd10CodeSetsTest {

    @Test
    void theShippedEditionsAreReadInTheBackgroundOnceTheServiceIsUp() throws InterruptedException {
        Icd10CodeSets codes = new Icd10CodeSets(null, null);
        assertThat(codes.shippedRead()).isFalse();

        codes.readShippedInBackground();

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!codes.shippedRead() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(codes.shippedRead()).isTrue();
        // answered from what was read: a billable code and a category header of the edition in force
        assertThat(codes.billability("E11.9", LocalDate.of(2026, 3, 1)).status())
                .isEqualTo(Billability.Status.BILLABLE);
        assertThat(codes.billability("E11", LocalDate.of(2026, 3, 1)).status())
                .isEqualTo(Billability.Status.HEADER);
    }
}
