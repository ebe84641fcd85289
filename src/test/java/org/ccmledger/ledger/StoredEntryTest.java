package org.ccmledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

class StoredEntryTest {

    private static StoredEntry entry(String timestamp) {
        return new StoredEntry(StoredEvent.unsealed(7, "s/0", "s", 0, "T", "e-1", timestamp, "P", null, "{}", "{}",
                                                    Instant.EPOCH, null));
    }

    @Test
    void aStoredTimestampReadsToTheInstantItWasWrittenFrom() {
        for (String written : new String[] {"2026-03-04T15:00:00Z", "2026-03-04T15:00:00.120Z",
                                            "2026-03-04T15:00:00.123456Z", "2026-03-04T15:00:00.123456789Z",
                                            "2024-02-29T23:59:59.999999999Z", "1999-12-31T00:00:00.5Z"}) {
            assertThat(entry(written).getTimestamp()).as(written).isEqualTo(Instant.parse(written));
        }
    }

    @Test
    void aTimestampInAnotherFormIsReadByTheFormatterAsBefore() {
        String offset = "2026-03-04T16:00:00+01:00";
        assertThat(entry(offset).getTimestamp()).isEqualTo(OffsetDateTime.parse(offset).toInstant())
                                                 .isEqualTo(Instant.parse("2026-03-04T15:00:00Z"));
    }

    @Test
    void theEntryCarriesTheStoredEventsFields() {
        StoredEntry entry = entry("2026-03-04T15:00:00Z");
        assertThat(entry.getAggregateIdentifier()).isEqualTo("s");
        assertThat(entry.getEventIdentifier()).isEqualTo("e-1");
        assertThat(entry.getPayload().getData()).isEqualTo("{}");
        assertThat(entry.getPayload().getType().getName()).isEqualTo("P");
    }
}
