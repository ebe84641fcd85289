package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The ring of events a tracking read verified moments ago: by exact global index, and only while fresh. */
class RecentEventsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RecentEvents recent = new RecentEvents(8);

    private static StoredEvent event(long globalIndex) {
        return StoredEvent.unsealed(globalIndex, "s/" + globalIndex, "s", globalIndex, "T", "e" + globalIndex,
                                    "2026-01-01T00:00:00Z", "P", null, "{}", "{}", Instant.EPOCH,
                                    EventHash.GENESIS);
    }

    @Test
    void anEventIsHandedOnByItsIndexWhileFresh() {
        StoredEvent five = event(5);
        recent.put(five, clock.millis());

        assertThat(recent.verified(5, clock.millis())).isSameAs(five);
        assertThat(recent.verified(6, clock.millis())).as("never put").isNull();
        assertThat(recent.verified(13, clock.millis())).as("the same slot of the ring, another index").isNull();

        clock.advance(Duration.ofMillis(RecentEvents.FRESH_MILLIS - 1));
        assertThat(recent.verified(5, clock.millis())).isSameAs(five);
        clock.advance(Duration.ofMillis(1));
        assertThat(recent.verified(5, clock.millis())).as("no longer fresh: read and verified again").isNull();
    }

    @Test
    void anEventIsForgottenWhenALaterOneTakesItsSlotOrTheClockGoesBack() {
        recent.put(event(5), clock.millis());
        recent.put(event(13), clock.millis());

        assertThat(recent.verified(5, clock.millis())).isNull();
        assertThat(recent.verified(13, clock.millis()).globalIndex()).isEqualTo(13);
        assertThat(recent.verified(13, clock.millis() - 1)).as("stamped after the time asked about").isNull();
    }
}
