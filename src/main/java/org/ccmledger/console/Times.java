package org.ccmledger.console;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Instants as a page shows them: in the patient's billing-location time zone, to the minute, and in UTC. */
public record Times(ZoneId zone) {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    public String at(Instant instant) {
        return instant == null ? "" : LOCAL.format(instant.atZone(zone));
    }

    public String utc(Instant instant) {
        return instant == null ? "" : UTC.format(instant.atZone(java.time.ZoneOffset.UTC));
    }
}
