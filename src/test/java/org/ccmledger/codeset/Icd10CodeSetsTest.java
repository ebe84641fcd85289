package org.ccmledger.codeset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;

import org.ccmledger.codeset.api.Billability;
import org.junit.jupiter.api.Test;

class Icd10CodeSetsTest {

    @Test
    void theShippedEditionsAreReadInTheBackgroundOnceTheServiceIsUp() {
        Icd10CodeSets codes = new Icd10CodeSets(null, null);
        assertThat(codes.shippedRead()).isFalse();

        codes.readShippedInBackground();

        await().atMost(Duration.ofSeconds(60)).until(codes::shippedRead);
        // answered from what was read: a billable code and a category header of the edition in force
        assertThat(codes.billability("E11.9", LocalDate.of(2026, 3, 1)).status())
                .isEqualTo(Billability.Status.BILLABLE);
        assertThat(codes.billability("E11", LocalDate.of(2026, 3, 1)).status())
                .isEqualTo(Billability.Status.HEADER);
    }
}
