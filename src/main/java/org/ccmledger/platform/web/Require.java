package org.ccmledger.platform.web;

import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import org.springframework.web.server.ServerWebInputException;

/** Checks of request fields that make a request malformed (400) rather than refused by a rule (422). */
public final class Require {

    private Require() {
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new ServerWebInputException("Field '" + field + "' is required");
        }
        return value;
    }

    public static String text(String value, String field, int maxLength) {
        present(value, field);
        if (value.isBlank() || value.length() > maxLength) {
            throw new ServerWebInputException("Field '" + field + "' must be 1-" + maxLength + " characters");
        }
        return value;
    }

    /** An IANA region id such as America/New_York: a fixed offset would move month ends across DST (P3). */
    public static ZoneId zone(String value, String field) {
        if (!ZoneId.getAvailableZoneIds().contains(present(value, field))) {
            throw new ServerWebInputException("Field '" + field + "' must be an IANA time zone id such as "
                                                      + "America/New_York");
        }
        return ZoneId.of(value);
    }

    public static YearMonth month(String value) {
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw new ServerWebInputException("Month must be yyyy-MM");
        }
    }

    /** An ISO-8601 instant with an offset, e.g. {@code 2025-04-01T12:00:00Z}. */
    public static java.time.Instant instant(String value, String field) {
        try {
            return java.time.OffsetDateTime.parse(present(value, field)).toInstant();
        } catch (DateTimeParseException e) {
            throw new ServerWebInputException("Parameter '" + field + "' must be an ISO-8601 instant with an offset, "
                                                      + "e.g. 2025-04-01T12:00:00Z");
        }
    }
}
