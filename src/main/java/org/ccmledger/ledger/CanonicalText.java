package org.ccmledger.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * The instants, dates and months this service writes, {@code 2024-03-04T15:00:00Z} (with a fraction of one to nine
 * digits or none), {@code 2024-03-04} and {@code 2024-03}, read digit by digit: {@code DateTimeFormatter} takes
 * microseconds for each, and every stored event's timestamp and every date in a payload or read model is read so.
 * Each answers {@code null} for text in any other form (offsets other than {@code Z}, 24:00, leap seconds, years of
 * other than four digits), which callers then give to the formatter: what this reads, it reads to the same value.
 */
public final class CanonicalText {

    private CanonicalText() {
    }

    /** The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}; {@code null} for any other text or an invalid field. */
    public static Instant instant(String text) {
        int length = text.length();
        if (length < 20 || length == 21 || length > 30 || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        LocalDate day = date(text.substring(0, 10));
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        // 24:00 and leap seconds (:60) are left to the formatter, which has its own rules for them
        if (day == null || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.') {
                return null;
            }
            int fraction = digits(text, 20, length - 21);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = length - 21; i < 9; i++) {
                nanos *= 10;
            }
        } else if (text.charAt(19) != 'Z') {
            return null;
        }
        return Instant.ofEpochSecond(day.toEpochDay() * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The date of {@code yyyy-MM-dd} (a year of four digits); {@code null} for any other text or no such day. */
    public static LocalDate date(String text) {
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > YearMonth.of(year, month)
                                                                                            .lengthOfMonth()) {
            return null;
        }
        return LocalDate.of(year, month, day);
    }

    /** The month of {@code yyyy-MM} (a year of four digits); {@code null} for any other text or no such month. */
    public static YearMonth month(String text) {
        if (text.length() != 7 || text.charAt(4) != '-') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        return year < 0 || month < 1 || month > 12 ? null : YearMonth.of(year, month);
    }

    /** The number written by {@code count} ASCII digits from {@code from}; -1 if any is not one. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
