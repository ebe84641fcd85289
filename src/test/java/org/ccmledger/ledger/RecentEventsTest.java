package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The ring of events a tracking read verified moments ago: by exact global index, and only while fresh. */
class RecentEventsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RecentEvents recent = new RecentEvents(8, clock);

    private static StoredEvent event(long globalIndex) {
        return StoredEvent.unsealed(globalIndex, "s/" + globalIndex, "s", globalIndex, "T", "e" + globalIndex,
                                    "2026-01-01T00:00:00Z", "P", null, "{}", "{}", Instant.EPOCH,
                                    EventHash.GENESIS);
    }

    @Test
    void anEventIsHandedOnByItsIndexWhileFresh() {
        StoredEvent five = event(5);
        recent.put(five, recent.now());

        assertThat(recent.verified(5, recent.now())).isSameAs(five);
        assertThat(recent.verified(6, recent.now())).as("never put").isNull();
        assertThat(recent.verified(13, recent.now())).as("the same slot of the ring, another index").isNull();

        clock.advance(Duration.ofMillis(RecentEvents.FRESH_MILLIS - 1));
        assertThat(recent.verified(5, recent.now())).isSameAs(five);
        clock.advance(Duration.ofMillis(1));
        assertThat(recent.verified(5, recent.now())).as("no longer fresh: read and verified again").isNull();
    }

    @Test
    void anEventIsForgottenWhenALaterOneTakesItsSlotOrTheClockGoesBack() {
        recent.put(event(5), recent.now());
        recent.put(event(13), recent.now());

        assertThat(recent.verified(5, recent.now())).isNull();
        assertThat(recent.verified(13, recent.now()).globalIndex()).isEqualTo(13);
        assertThat(recent.verified(13, recent.now() - 1)).as("stamped after the time asked about").isNull();
    }
}
