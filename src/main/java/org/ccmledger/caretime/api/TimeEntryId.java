package org.ccmledger.caretime.api;

import java.util.regex.Pattern;

import org.ccmledger.platform.ids.RandomIds;
import org.ccmledger.platform.problem.Refusal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies one logged time entry; chosen by the client or generated. 1–64 letters, digits, '.', '-' or '_'. */
public record TimeEntryId(@JsonValue String value) {

    /** Compiled once: a record built for every value read, not a pattern per value. */
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public TimeEntryId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw Refusal.malformed("INVALID_ENTRY_ID", "entryId must be 1-64 letters, digits, '.', '-' or '_'");
        }
    }

    public static TimeEntryId random() {
        return new TimeEntryId(RandomIds.uuid().toString());
    }

    @JsonCreator
    static TimeEntryId fromJson(String value) {
        return new TimeEntryId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
