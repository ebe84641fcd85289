package org.ccmledger.billing.export;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an X12 interchange says about itself rather than about the claims: who sends it to whom, its control number,
 * and the date and time it was prepared. The caller supplies all of it, so {@link X12Claims} never reads a clock and
 * the same claims in the same envelope always give the same bytes.
 *
 * @param senderId                 interchange and application sender id (ISA06, GS02, submitter NM109), 1 to 15
 *                                 characters of {@code [A-Za-z0-9 .-]}, starting with a letter or digit
 *                                 and not ending with a space
 * @param receiverId               interchange and application receiver id (ISA08, GS03, receiver NM109), same format
 * @param interchangeControlNumber ISA13 and GS06, 1 to 999999999; unique per sender, the caller keeps the counter
 * @param date                     preparation date (ISA09, GS04, BHT04)
 * @param time                     preparation time (ISA10, GS05, BHT05), to the minute
 * @param usage                    ISA15: {@code T} test or {@code P} production
 */
public record X12Envelope(String senderId, String receiverId, int interchangeControlNumber, LocalDate date,
                          LocalTime time, String usage) {

    /** A production interchange. */
    public X12Envelope(String senderId, String receiverId, int interchangeControlNumber, LocalDate date,
                       LocalTime time) {
        this(senderId, receiverId, interchangeControlNumber, date, time, "P");
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9 .-]{0,13}[A-Za-z0-9.-])?");

    public X12Envelope {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(time, "time");
        if (senderId == null || !ID.matcher(senderId).matches()) {
            throw new IllegalArgumentException("X12 senderId must be 1 to 15 letters, digits, ' ', '.' or '-'");
        }
        if (receiverId == null || !ID.matcher(receiverId).matches()) {
            throw new IllegalArgumentException("X12 receiverId must be 1 to 15 letters, digits, ' ', '.' or '-'");
        }
        if (!"T".equals(usage) && !"P".equals(usage)) {
            throw new IllegalArgumentException("X12 usage (ISA15) is T or P");
        }
        if (interchangeControlNumber < 1 || interchangeControlNumber > 999_999_999) {
            throw new IllegalArgumentException("X12 interchangeControlNumber must be 1 to 999999999");
        }
    }
}
