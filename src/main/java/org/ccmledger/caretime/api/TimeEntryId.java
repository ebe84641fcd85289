package org.ccmledger.caretime.api;

import org.ccmledger.platform.ids.IdFormat;
import org.ccmledger.platform.ids.RandomIds;
import org.ccmledger.platform.problem.Refusal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifies one logged time entry; chosen by the client or generated. 1–64 letters, digits, '.', '-' or '_'. */
public record TimeEntryId(@JsonValue String value) {

    public TimeEntryId {
        if (!IdFormat.isId(value)) {
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
