package org.ccmledger.billing.export;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FhirClaimsFeedTest {

    @Test
    @DisplayName("HAPI's model is read in the background once the service is up, by encoding a made-up claim")
    void hapisModelIsReadInTheBackgroundOnceTheServiceIsUp() {
        new FhirClaimsFeed(null, null, null).readModelInBackground();

        // set only once the made-up claim, its contained coverage and the bundle around them were encoded
        await().atMost(Duration.ofSeconds(60)).until(FhirClaimsFeed::modelRead);
    }
}
